using FluentAssertions;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Pretraining;
using TorchSharp;
using System.Runtime.InteropServices;
using Xunit;
using static TorchSharp.torch;

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
        var built = PretrainMethods.Get(method).Build(new PretrainSetup(() => new ConvNet(3, 0.25), 64, "toy", 10, 0));
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
