using FluentAssertions;
using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public class PretextTrainingTests
{
    static Tensor Images(int n, int side = 32, int seed = 1) => rand(n, 3, side, side, generator: Course.Generator(seed));

    [Fact]
    public void JigsawLogits_is_the_shared_encoder_on_each_tile_concatenated_in_shown_order()
    {
        Course.Init(); Course.Reseed(1);
        var encoder = new ConvNet(3, width: 0.25); encoder.eval();
        var head = nn.Linear(4 * encoder.OutputDim, 5); head.eval();
        var tiles = rand(new long[] { 2, 4, 3, 16, 16 }, generator: Course.Generator(2));
        using var _ = no_grad();
        var logits = PretextTraining.JigsawLogits(encoder, head, tiles);
        for (int n = 0; n < 2; n++)
        {
            var parts = Enumerable.Range(0, 4).Select(t => encoder.call(tiles[n, t].unsqueeze(0))).ToArray();   // one tile at a time
            var expected = head.call(cat(parts, 1));
            logits[n].unsqueeze(0).allclose(expected, 1e-4, 1e-5).Should().BeTrue();
        }
    }

    [Fact]
    public void ContextLogits_concatenates_centre_then_neighbour_and_small_patches_are_upsampled()
    {
        Course.Init(); Course.Reseed(1);
        var encoder = new ConvNet(3, width: 0.25); encoder.eval();
        var head = nn.Linear(2 * encoder.OutputDim, 8); head.eval();
        var c = rand(3, 3, 9, 9, generator: Course.Generator(4));
        var nb = rand(3, 3, 9, 9, generator: Course.Generator(5));
        using var _ = no_grad();
        var up = (Tensor x) => nn.functional.interpolate(x, size: [16, 16], mode: InterpolationMode.Bilinear, align_corners: false);
        var expected = head.call(cat([encoder.call(up(c)), encoder.call(up(nb))], 1));
        PretextTraining.ContextLogits(encoder, head, c, nb).allclose(expected, 1e-4, 1e-5).Should().BeTrue();
        PretextTraining.AtLeastMinSide(rand(1, 3, 20, 20)).shape.Should().Equal(1, 3, 20, 20);
        PretextTraining.AtLeastMinSide(rand(1, 3, 8, 8)).shape.Should().Equal(1, 3, 16, 16);
    }

    [Fact]
    public void Lightness_is_L_over_100_in_three_channels()
    {
        Course.Init();
        var rgb = Images(2, 8);
        var l = PretextTraining.Lightness(rgb);
        l.shape.Should().Equal(2, 3, 8, 8);
        for (int ch = 0; ch < 3; ch++) l[.., ch].allclose(Lab.FromRgb(rgb)[.., 0] / 100.0, 1e-5, 1e-6).Should().BeTrue();
        PretextTraining.Lightness(ones(1, 3, 2, 2))[0, 0, 0, 0].item<float>().Should().BeApproximately(1f, 1e-3f);   // white: L = 100
    }

    [Fact]
    public void Rotation_learns_on_a_small_fixed_set_and_reports_four_labels_per_image()
    {
        Course.Init();
        var images = new ToyObjects(seed: 0, size: 32).Generate(0, 16).Images;
        Course.Reseed(1);
        var run = PretextTraining.Rotation(new ConvNet(3, width: 0.25), images, new PretextOptions { Steps = 40, BatchSize = 16, ShowProgress = false, Seed = 1 });
        run.History.Loss.Take(3).Average().Should().BeGreaterThan(run.History.RecentLoss(5), "the rotation loss must fall on 16 images");
        var (p, y) = run.Predict(images[..4], Course.Generator(1));
        p.shape.Should().Equal(16); y.data<long>().ToArray().Should().Equal(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        run.Features(images[..3]).shape.Should().Equal(3, 64);
        run.Encoder.training.Should().BeFalse();
    }

    [Fact]
    public void Every_task_trains_a_few_steps_with_finite_losses_and_scores_its_own_labels()
    {
        Course.Init();
        var data = new ToyObjects(seed: 0, size: 32).Train(20);
        var o = new PretextOptions { Steps = 2, BatchSize = 4, ShowProgress = false, Seed = 2 };
        var runs = new[]
        {
            PretextTraining.Jigsaw(new ConvNet(3, 0.25), data.Images, new Jigsaw(PermutationSet.Greedy(10)), o),
            PretextTraining.Context(new ConvNet(3, 0.25), data.Images, new ContextPairs(9, 1, 1), o),
            PretextTraining.Colorization(new ConvNet(3, 0.25), data.Images, AbBins.Default, o),
        };
        foreach (var r in runs)
        {
            r.History.Loss.Should().HaveCount(2).And.OnlyContain(l => double.IsFinite(l));
            var acc = r.Accuracy(data.Images[..6], Course.Generator(3));
            acc.Should().BeInRange(0, 1);
        }
        runs[0].Predict(data.Images[..6], Course.Generator(3)).Predictions.shape.Should().Equal(6);
        runs[2].Predict(data.Images[..2], Course.Generator(3)).Predictions.shape.Should().Equal(2 * 8 * 8);   // 32 px -> 8x8 bins
        runs[2].Features(data.Images[..2]).allclose(SslCourse.Evaluation.FeatureExtractor.Extract(runs[2].Encoder, PretextTraining.Lightness(data.Images[..2]))).Should().BeTrue();
        var sup = PretextTraining.Supervised(new ConvNet(3, 0.25), data, o);
        sup.History.Loss.Should().HaveCount(2);
        FluentActions.Invoking(() => sup.Predict(data.Images[..2], Course.Generator(1))).Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void Options_are_validated_with_the_bad_value_named()
    {
        Course.Init();
        var images = Images(4);
        FluentActions.Invoking(() => PretextTraining.Rotation(new ConvNet(3, 0.25), images, new PretextOptions { BatchSize = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*BatchSize*");
        FluentActions.Invoking(() => PretextTraining.Rotation(new ConvNet(1, 0.25), images, new PretextOptions()))
            .Should().Throw<ArgumentException>().WithMessage("*[N, 1, H, W]*");
    }
}
