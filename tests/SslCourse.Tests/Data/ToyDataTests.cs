using FluentAssertions;
using SslCourse.Augment;
using SslCourse.Data;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Data;

public class ToyDataTests
{
    [Fact]
    public void Toy_objects_are_deterministic_per_index_and_in_range()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var world = new ToyObjects(seed: 7);
        var (x, y) = world.Generate(0, 40);
        x.shape.Should().Equal(40, 3, 32, 32);
        y.data<long>().ToArray().Should().Equal(Enumerable.Range(0, 40).Select(i => (long)(i % 10)));
        (x.min().item<float>() >= 0 && x.max().item<float>() <= 1).Should().BeTrue();
        var (part, _) = world.Generate(25, 5);                    // any range on its own gives the same pixels
        part.allclose(x[25..30], 0, 0).Should().BeTrue();
        var (other, _) = new ToyObjects(seed: 8).Generate(0, 40);
        other.allclose(x).Should().BeFalse();
        for (int i = 1; i < 40; i++) x[i].allclose(x[0]).Should().BeFalse();
        new ToyObjects(0, 64).Generate(0, 2).Images.shape.Should().Equal(2, 3, 64, 64);
    }

    [Fact]
    public void Variants_have_their_labels_and_differ_in_look()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var fine = new ToyObjects(0, variant: ToyVariant.FineGrained);
        fine.NumClasses.Should().Be(20);
        fine.LabelNames[1].Should().Be("house/chimney");
        fine.Labels(0, 20).data<long>().ToArray().Order().Should().Equal(Enumerable.Range(0, 20).Select(i => (long)i));
        (fine.FineLabels(0, 40) / 2).to_type(ScalarType.Int64).allclose(fine.CoarseLabels(0, 40)).Should().BeTrue();
        var standard = new ToyObjects(0).ColourStatistics(200);
        var shifted = new ToyObjects(0, variant: ToyVariant.DomainShift).ColourStatistics(200);
        standard.ClassMeans.shape.Should().Equal(10, 3);
        (standard.Mean - shifted.Mean).abs().max().item<float>().Should().BeGreaterThan(0.05f, "the shifted domain is darker");
        ToyObjects.RotationAmbiguousClasses.Select(i => ToyObjects.ClassNames[i]).Should().Equal("ball", "star", "donut");
    }

    [Fact]
    public void Toy_2d_sets_have_the_asked_labels_per_class()
    {
        Course.Init(1);
        using var moons = Toy2D.Moons(200, 0.1, 5, Course.Generator(1));
        moons.Points.shape.Should().Equal(200, 2);
        moons.Labelled.sum().item<long>().Should().Be(10);
        bincount(moons.Labels.index_select(0, moons.LabelledIndices)).data<long>().ToArray().Should().Equal(5, 5);
        using var circles = Toy2D.Circles(100, 0.0, 2, Course.Generator(1), factor: 0.4);
        var r = circles.Points.norm(1);
        r.index_select(0, circles.Labels.eq(1).nonzero().squeeze(1)).allclose(full(50, 0.4f), atol: 1e-5).Should().BeTrue();
        using var blobs = Toy2D.Blobs(90, 3, 0.3, 4, Course.Generator(2));
        blobs.Labelled.sum().item<long>().Should().Be(12);
        var act = () => Toy2D.Moons(10, 0.1, 6, Course.Generator(1));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*labelsPerClass*6*");
    }

    [Fact]
    public void Loader_shuffles_by_seed_covers_every_image_and_makes_views()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        using var set = new ToyObjects(0).Train(50);
        var views = SslCourse.Augment.ViewRecipes.SimClr(24, blur: false).Twice();
        var a = new DataLoader(set, 16, seed: 3, views: views).Epoch().ToList();
        var b = new DataLoader(set, 16, seed: 3, views: views).Epoch().ToList();
        a.Count.Should().Be(4);
        a.SelectMany(t => t.Indices.data<long>().ToArray()).Order().Should().Equal(Enumerable.Range(0, 50).Select(i => (long)i));
        a[0].Indices.allclose(b[0].Indices, 0, 0).Should().BeTrue();
        a[0].Views[0].allclose(b[0].Views[0], 0, 0).Should().BeTrue();
        a[0].Views[0].shape.Should().Equal(16, 3, 24, 24);
        a[0].Views[0].allclose(a[0].Views[1]).Should().BeFalse();
        a[0].Labels.allclose(set.Labels.index_select(0, a[0].Indices), 0, 0).Should().BeTrue();
        new DataLoader(set, 16, dropLast: true).BatchesPerEpoch.Should().Be(3);
        var (labelled, unlabelled) = LabelSplit.Split(set, 2, Course.Generator(4));
        labelled.ClassCounts().Should().AllBeEquivalentTo(2);
        unlabelled.Count.Should().Be(30);
    }
}
