using FluentAssertions;
using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Pretraining;
using SslCourse.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Pretraining;

/// <summary>The hand-made pretext tasks as entries of the pre-training registry: the loss of a batch against naive
/// references written from the papers (every tile or patch through the encoder on its own, in eval mode so that
/// BatchNorm does not couple the images).</summary>
public class PretextRegistryTests
{
    const int Seed = 3;

    public PretextRegistryTests() => Course.Init(0);   // loads libtorch before the first tensor

    static (PretrainModel Built, nn.Module<Tensor, Tensor> Head) Build(string method, Tensor images)
    {
        Course.Init(0);
        var setup = PretrainSetup.For("toy", 3, 0.25, 10, Seed) with { Images = images };
        var built = PretrainMethods.Get(method).Build(setup);
        built.Model.eval();
        var head = built.Model.named_children().Single(c => c.name == "head").module as nn.Module<Tensor, Tensor>;
        return (built, head!);
    }

    static Batch BatchOf(Tensor images) => new(images, zeros(images.shape[0], dtype: ScalarType.Int64), arange(images.shape[0]), [images]);

    /// <summary>−(1/N) Σ_n log softmax(logits_n)[y_n], one row at a time.</summary>
    static double NaiveCrossEntropy(IReadOnlyList<Tensor> logits, Tensor labels)
    {
        double sum = 0;
        for (int n = 0; n < logits.Count; n++)
        {
            var row = logits[n].data<float>().ToArray();
            double max = row.Max(), log = Math.Log(row.Sum(v => Math.Exp(v - max))) + max;
            sum += log - row[labels[n].item<long>()];
        }
        return sum / logits.Count;
    }

    static Tensor Features(SslCourse.Models.ConvNet encoder, Tensor one) => encoder.call(PretextTraining.AtLeastMinSide(one.unsqueeze(0)))[0];

    [Fact]
    public void Context_prediction_classifies_the_concatenated_features_of_centre_and_neighbour()
    {
        var images = rand(6, 3, 32, 32, generator: Course.Generator(1));
        var (built, head) = Build("context", images);
        using var _ = no_grad();
        var loss = built.Loss(BatchOf(images)).item<float>();

        var (centre, neighbour, labels) = new ContextPairs(patch: 9, gap: 1, jitter: 1).Apply(images, Course.Generator(Seed + 1));
        var logits = Enumerable.Range(0, 6).Select(n =>
            head.call(cat([Features(built.Encoder, centre[n]), Features(built.Encoder, neighbour[n])], 0).unsqueeze(0))[0]).ToList();
        loss.Should().BeApproximately((float)NaiveCrossEntropy(logits, labels), 1e-4f);
        built.Config["views"].Should().Contain("patches 9");
    }

    [Fact]
    public void Jigsaw_classifies_the_permutation_from_the_tiles_features_in_shown_order()
    {
        var images = rand(4, 3, 32, 32, generator: Course.Generator(2));
        var (built, head) = Build("jigsaw", images);
        using var _ = no_grad();
        var loss = built.Loss(BatchOf(images)).item<float>();

        var (tiles, labels) = new Jigsaw(GreedyPermutations.Greedy(100), gap: 2).Apply(images, Course.Generator(Seed + 1));
        var logits = Enumerable.Range(0, 4).Select(n =>
            head.call(cat(Enumerable.Range(0, 9).Select(t => Features(built.Encoder, tiles[n, t])).ToArray(), 0).unsqueeze(0))[0]).ToList();
        loss.Should().BeApproximately((float)NaiveCrossEntropy(logits, labels), 1e-4f);
    }

    [Fact]
    public void Colorization_sees_only_the_lightness_and_rebalances_with_the_setups_images()
    {
        var images = rand(4, 3, 32, 32, generator: Course.Generator(3));
        var (built, head) = Build("colorization", images);
        using var _ = no_grad();
        var loss = built.Loss(BatchOf(images)).item<float>();
        var task = new ColorizationTask(AbBins.Default, images, CPU);
        loss.Should().BeApproximately(task.Loss(built.Encoder, head, images).item<float>(), 1e-5f);
        built.Config["input"].Should().Be("lightness");
        PretrainedEncoder.Input(built.Config)(images).allclose(PretextTraining.Lightness(images)).Should().BeTrue();

        // Another image set gives another colour prior, so another loss on the same batch.
        var (other, _) = Build("colorization", rand(4, 3, 32, 32, generator: Course.Generator(9)) * 0.2);
        SslCourse.Models.ModelUtils.CopyWeights(built.Model, other.Model);
        other.Loss(BatchOf(images)).item<float>().Should().NotBeApproximately(loss, 1e-3f);

        var grey = () => PretrainMethods.Get("colorization").Build(PretrainSetup.For("fmnist", 1, 0.25, 10, 0) with { Images = rand(4, 1, 28, 28) });
        grey.Should().Throw<ArgumentException>().WithMessage("*RGB*grayscale*");
        var none = () => PretrainMethods.Get("colorization").Build(PretrainSetup.For("toy", 3, 0.25, 10, 0));
        none.Should().Throw<ArgumentException>().WithMessage("*images*");
    }
}
