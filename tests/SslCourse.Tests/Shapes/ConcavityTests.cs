using FluentAssertions;
using SslCourse.Shapes;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Shapes;

public class ConcavityTests
{
    public ConcavityTests() => Course.Init(0);

    // Points on a regular grid over the surface of the box [x0, x0 + 1] x [0, 1] x [0, 1] (step 1/4, so face centres are included).
    static IEnumerable<Vec3> UnitCubeSurface(double x0)
    {
        for (int i = 0; i <= 4; i++)
            for (int j = 0; j <= 4; j++)
                for (int k = 0; k <= 4; k++)
                    if (i == 0 || i == 4 || j == 0 || j == 4 || k == 0 || k == 4)
                        yield return new Vec3(x0 + i / 4.0, j / 4.0, k / 4.0);
    }

    [Fact]
    public void A_box_surface_is_convex_and_two_boxes_side_by_side_are_not()
    {
        Concavity.Of(UnitCubeSurface(0).ToArray()).Should().BeLessThan(1e-9);
        // Two unit cubes with a gap: the hull is [0, 2.5] x [0, 1]^2; the centre (1, .5, .5) of an inner face is
        // 0.5 below the hull's y and z faces and 1 from its x faces, so the concavity is exactly 0.5.
        var pair = UnitCubeSurface(0).Concat(UnitCubeSurface(1.5)).ToArray();
        Concavity.Of(pair).Should().BeApproximately(0.5, 1e-9);
    }

    [Fact]
    public void Flat_and_empty_sets_have_zero_concavity()
    {
        var flat = Enumerable.Range(0, 20).Select(i => new Vec3(i % 5, i / 5 == 1 ? 3 : i / 5, 0)).ToArray();
        Concavity.Of(flat).Should().Be(0);
        Concavity.Of(Array.Empty<Vec3>()).Should().Be(0);
    }

    [Fact]
    public void Tensor_depths_match_a_loop_over_points_and_faces()
    {
        var gen = Course.Generator(3);
        using var pts = randn(new long[] { 60, 3 }, generator: gen);
        var list = Enumerable.Range(0, 60).Select(i => new Vec3(pts[i, 0].item<float>(), pts[i, 1].item<float>(), pts[i, 2].item<float>())).ToArray();
        var hull = ConvexHull.Build(list);
        using var planes = hull.PlanesTensor();
        using var depths = Concavity.Depths(pts, planes);
        depths.shape.Should().Equal(60);
        for (int i = 0; i < 60; i++)
        {
            double naive = double.PositiveInfinity; // distance below the nearest face plane
            foreach (var (n, d) in hull.Planes) naive = Math.Min(naive, d - Vec3.Dot(n, list[i]));
            depths[i].item<float>().Should().BeApproximately((float)Math.Max(0, naive), 1e-5f);
        }
        using var measure = Concavity.Measure(pts, planes);
        measure.item<float>().Should().BeApproximately((float)Concavity.Of(list), 1e-5f);
        using var none = Concavity.Depths(pts, zeros(0, 4));
        none.sum().item<float>().Should().Be(0);
    }

    [Fact]
    public void Bad_shapes_are_named()
    {
        var act = () => Concavity.Depths(zeros(5, 2), zeros(3, 4));
        act.Should().Throw<ArgumentException>().WithMessage("*points*[5, 2]*");
    }
}
