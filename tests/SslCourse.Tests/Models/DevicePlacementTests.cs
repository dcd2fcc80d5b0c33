using FluentAssertions;
using SslCourse.Data;
using SslCourse.Evaluation;
using SslCourse.Models;
using SslCourse.Pretraining;
using SslCourse.SemiSupervised;
using SslCourse.Training;
using TorchSharp;
using System.Runtime.InteropServices;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Tests.Models;

/// <summary>
/// The placement rule (inputs follow the model), checked on a CPU-only machine with the model's weights on the
/// <c>meta</c> device. libtorch 2.10 has no eager meta kernels for convolution or ReLU (they live in PyTorch's Python
/// layer), so a step cannot run to the end there; but the dispatcher checks devices before it looks for a kernel, so a
/// step whose input stayed on the CPU fails with a device mismatch, and one whose input followed the model fails only
/// for want of a meta kernel. The test tells the two apart for every method of the registry, and the control case
/// shows the mismatch is caught. Limit: only the path up to the first op without a meta kernel is checked.
/// </summary>
public class DevicePlacementTests
{
    static readonly Device Meta = new(DeviceType.META);
    static readonly string[] MismatchSigns = ["same device", "should be the same", "Expected all tensors", "device type"];

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var name in PretrainMethods.Names) data.Add(name);
        return data;
    }

    static Exception? Step(nn.Module model, Func<Tensor> loss)
    {
        try
        {
            var l = loss();
            l.device_type.Should().Be(model.parameters().First().device_type);
            l.backward();
            return null;
        }
        catch (ExternalException e) { return e; }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_step_with_the_model_on_the_meta_device_moves_its_inputs_there(string method)
    {
        Course.Init(0);
        var built = PretrainMethods.Get(method).Build(new PretrainSetup(() => new ConvNet(3, 0.25), 64, "toy", 10, 0) { Images = rand(16, 3, 32, 32) });
        built.Model.parameters().Should().OnlyContain(p => p.device_type == Course.Device.type, "the library builds models on Course.Device");
        built.Model.to(Meta).train();
        var loader = new DataLoader(new ToyObjects(seed: 0, size: 32).Train(16), 8, seed: 0, dropLast: true, views: built.Views);
        using var batch = loader.Forever().First();
        batch.Views[0].device_type.Should().Be(DeviceType.CPU, "the loader's views are on the CPU; the method moves them");

        var error = Step(built.Model, () => built.Loss(batch));
        if (error is not null)
        {
            error.Message.Should().ContainAny("meta", "Meta", "not implemented");
            foreach (var sign in MismatchSigns) error.Message.Should().NotContain(sign, $"{method}'s inputs must follow its weights to the meta device");
        }
    }

    /// <summary>A trainer's first step with its model on the meta device: it fails for want of a meta kernel, never
    /// for a device mismatch (the same test as above, for the trainers that take a model).</summary>
    static void FailsOnlyForWantOfAKernel(string trainer, Action run)
    {
        var error = Record.Exception(run);
        error.Should().NotBeNull($"{trainer}: convolution has no eager meta kernel, so the step cannot finish");
        var message = error!.ToString();
        message.Should().ContainAny(["meta", "Meta", "not implemented"], $"{trainer} must fail inside the model, on the meta device");
        foreach (var sign in MismatchSigns) message.Should().NotContain(sign, $"{trainer}'s inputs and the parts it builds must follow the model to the meta device");
    }

    static Tensor Images(int n) => rand(n, 3, 32, 32, generator: Course.Generator(1));

    public static TheoryData<string> PretextTasks() => ["rotation", "jigsaw", "context", "colorization", "supervised"];

    [Theory]
    [MemberData(nameof(PretextTasks))]
    public void Pretext_training_builds_its_head_beside_the_encoder_and_moves_the_batches(string task)
    {
        Course.Init(0);
        var encoder = new ConvNet(3, 0.25);
        encoder.to(Meta);
        var images = Images(16);
        var options = new PretextOptions { Steps = 1, BatchSize = 4, ShowProgress = false };
        FailsOnlyForWantOfAKernel(task, () => _ = task switch
        {
            "rotation" => PretextTraining.Rotation(encoder, images, options),
            "supervised" => PretextTraining.Supervised(encoder, new LabeledImages(images, zeros(16, dtype: ScalarType.Int64), ["a", "b"]), options),
            _ => PretrainMethods.TrainPretext(task, encoder, images, options),
        });
    }

    [Fact]
    public void Fine_tuning_self_training_and_consistency_training_move_their_batches_to_the_model()
    {
        Course.Init(0);
        var images = Images(16);
        var labels = arange(16, dtype: ScalarType.Int64) % 2;
        var set = new LabeledImages(images, labels, ["a", "b"]);
        Func<Tensor, Generator, Tensor> same = (x, _) => x;

        var encoder = new ConvNet(3, 0.25);
        encoder.to(Meta);
        FailsOnlyForWantOfAKernel("FineTune", () => FineTune.Run(encoder, encoder.OutputDim, 2, images, labels, images, labels,
            new FineTuneOptions { Steps = 1, BatchSize = 4 }));

        var model = new ConvClassifier(3, 2, 0.25);
        model.to(Meta);
        FailsOnlyForWantOfAKernel("SelfTraining.Fit", () => SelfTraining.Fit(model, set, images,
            PseudoLabels.All(softmax(rand(16, 2), 1)), new SelfTrainingOptions { Steps = 1, BatchSize = 4, ShowProgress = false }));
        FailsOnlyForWantOfAKernel("SelfTraining.Predict", () => SelfTraining.Predict(model, images));
        var options = new ConsistencyOptions { Steps = 1, BatchSize = 4, Weak = same };
        FailsOnlyForWantOfAKernel("FixMatchFit", () => ConsistencyTraining.FixMatchFit(model, set, images, options));
        var teacher = new ConvClassifier(3, 2, 0.25);
        teacher.to(Meta);
        FailsOnlyForWantOfAKernel("MeanTeacherFit", () => ConsistencyTraining.MeanTeacherFit(model, teacher, set, images, options));
    }

    [Fact]
    public void Inputs_left_on_the_cpu_are_caught()
    {
        Course.Init(0);
        var encoder = new ConvNet(3, 0.25);
        encoder.to(Meta);
        var error = Step(encoder, () => encoder.call(rand(2, 3, 32, 32)).sum());
        error.Should().NotBeNull();
        error!.Message.Should().ContainAny(MismatchSigns);
    }
}
