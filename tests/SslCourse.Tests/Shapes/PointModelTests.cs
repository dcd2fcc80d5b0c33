using FluentAssertions;
using SslCourse.Models;
using SslCourse.Shapes;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Shapes;

public class PointModelTests
{
    public PointModelTests() => Course.Init(0);

    [Fact]
    public void Encoder_gives_per_point_features_that_follow_the_points_order()
    {
        Course.Reseed(1);
        using var encoder = new PointNetEncoder(features: 16, globalFeatures: 32);
        encoder.eval();
        var g = Course.Generator(2);
        using var x = randn(new long[] { 2, 50, 3 }, generator: g);
        using var perm = randperm(50, generator: g);
        using var noGrad = no_grad();
        using var f = encoder.call(x);
        f.shape.Should().Equal(2, 50, 16);
        using var fp = encoder.call(x.index_select(1, perm));
        fp.allclose(f.index_select(1, perm), 1e-5, 1e-5).Should().BeTrue();
        using var global = encoder.GlobalFeature(x);
        global.shape.Should().Equal(2, 32);
        using var globalPermuted = encoder.GlobalFeature(x.index_select(1, perm));
        globalPermuted.allclose(global, 1e-5, 1e-5).Should().BeTrue();
    }

    [Fact]
    public void CopyFrom_makes_an_identical_encoder()
    {
        Course.Reseed(4);
        using var a = new PointNetEncoder(features: 8, globalFeatures: 16);
        using var b = new PointNetEncoder(features: 8, globalFeatures: 16);
        b.CopyFrom(a);
        a.eval(); b.eval();
        using var x = randn(new long[] { 1, 10, 3 }, generator: Course.Generator(5));
        using var noGrad = no_grad();
        b.call(x).allclose(a.call(x)).Should().BeTrue();
        var act = () => new PointNetEncoder(features: 4).CopyFrom(a);
        act.Should().Throw<ArgumentException>().WithMessage("*source*");
    }

    [Fact]
    public void Head_maps_features_to_logits_and_validates()
    {
        using var head = new PointSegmentationHead(16, 11);
        using var logits = head.call(zeros(2, 7, 16));
        logits.shape.Should().Equal(2, 7, 11);
        var act = () => new PointSegmentationHead(16, 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*classes*1*");
        var act2 = () => new PointNetEncoder().call(zeros(2, 7));
        act2.Should().Throw<ArgumentException>().WithMessage("*[B, N, 3]*");
    }

    [Fact]
    public void Augmentation_is_seeded_and_the_identity_without_change()
    {
        using var x = randn(new long[] { 3, 20, 3 }, generator: Course.Generator(4));
        using var a = PointAugment.Apply(x, Course.Generator(9));
        using var b = PointAugment.Apply(x, Course.Generator(9));
        a.eq(b).all().item<bool>().Should().BeTrue();
        a.allclose(x).Should().BeFalse();
        using var same = PointAugment.Apply(x, Course.Generator(9), scale: 0, maxTurn: 0, jitter: 0);
        same.allclose(x, 1e-6, 1e-6).Should().BeTrue();
        // A turn about z keeps heights and horizontal radii when nothing else changes.
        using var turned = PointAugment.Apply(x, Course.Generator(9), scale: 0, maxTurn: 1, jitter: 0);
        turned[.., .., 2].allclose(x[.., .., 2], 1e-6, 1e-6).Should().BeTrue();
        turned[.., .., ..2].norm(2).allclose(x[.., .., ..2].norm(2), 1e-5, 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Pretraining_and_fine_tuning_lower_their_losses_and_predictions_stay_in_class()
    {
        var gen = new PartShapeGenerator(0, 128);
        var shapes = gen.Generate(0, 8);
        var acd = shapes.Select(s => ConvexDecomposition.Compute(s.Points, new DecompositionOptions(Segments: 12))).ToArray();
        var (pts, parts, _) = PartShape.Stack(shapes);
        using var pieces = tensor(acd.SelectMany(a => a.Pieces.Select(p => (long)p)).ToArray(), new long[] { 8, 128 });
        Course.Reseed(3);
        using var encoder = new PointNetEncoder(features: 32, globalFeatures: 64);
        var pre = PiecePretraining.Train(encoder, pts, pieces, new PointTrainingOptions { Steps = 30, Seed = 1, BatchSize = 8, SamplePoints = 96, PairPoints = 64, LearningRate = 3e-3 }).Loss;
        pre.Should().HaveCount(30);
        pre.TakeLast(8).Average().Should().BeLessThan(pre.Take(3).Average());
        using var head = new PointSegmentationHead(32, PartCatalog.PartCount);
        var fine = PartSegmentation.Train(encoder, head, pts, parts, new PointTrainingOptions { Steps = 30, Seed = 2, BatchSize = 8, LearningRate = 3e-3, SamplePoints = 96 }).Loss;
        fine.TakeLast(8).Average().Should().BeLessThan(fine.Take(3).Average());
        var predicted = PartSegmentation.Predict(encoder, head, shapes);
        for (int s = 0; s < shapes.Length; s++)
            predicted[s].Should().OnlyContain(p => PartCatalog.ClassOfPart[p] == shapes[s].Class);
        PartIoU.Evaluate(predicted, shapes).InstanceMeanIoU.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void Renders_are_white_with_coloured_points()
    {
        float[] pts = { 0, 0, 0 };
        var colours = PointCloudImage.Colours(new[] { 3 });
        using var img = PointCloudImage.Render(pts, colours, Camera.Front, size: 33, radius: 0);
        img.shape.Should().Equal(3, 33, 33);
        img[0, 0, 0].item<float>().Should().Be(1f);
        img[0, 16, 16].item<float>().Should().BeLessThan(1f); // the point sits at the image centre
        using var views = PointCloudImage.Views(pts, colours, size: 16);
        views.shape.Should().Equal(4, 3, 16, 16);
    }
}
