using FluentAssertions;
using SslCourse.Shapes;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Shapes;

public class ConvexHullTests
{
    public ConvexHullTests() => Course.Init(0);

    static Vec3[] RandomPoints(int n, long seed)
    {
        using var u = new UniformSource(seed);
        return Enumerable.Range(0, n).Select(_ => new Vec3(u.Normal(), u.Normal(), u.Normal())).ToArray();
    }

    // Brute force: a triangle (i, j, k) is on the hull when no point lies strictly on both sides of its plane.
    static HashSet<int> BruteForceVertices(Vec3[] p)
    {
        var result = new HashSet<int>();
        for (int i = 0; i < p.Length; i++)
            for (int j = i + 1; j < p.Length; j++)
                for (int k = j + 1; k < p.Length; k++)
                {
                    var n = Vec3.Cross(p[j] - p[i], p[k] - p[i]);
                    bool above = false, below = false;
                    for (int q = 0; q < p.Length; q++)
                    {
                        double s = Vec3.Dot(n, p[q] - p[i]);
                        above |= s > 1e-12; below |= s < -1e-12;
                    }
                    if (!(above && below)) { result.Add(i); result.Add(j); result.Add(k); }
                }
        return result;
    }

    [Fact]
    public void Cube_with_inner_points_has_eight_corners_twelve_triangles_and_unit_volume()
    {
        var pts = new List<Vec3>();
        for (int c = 0; c < 8; c++) pts.Add(new Vec3(c & 1, (c >> 1) & 1, (c >> 2) & 1));
        pts.AddRange(RandomPoints(50, 1).Select(p => new Vec3(0.5 + 0.1 * Math.Tanh(p.X), 0.5 + 0.1 * Math.Tanh(p.Y), 0.5 + 0.1 * Math.Tanh(p.Z))));
        pts.Add(new Vec3(0.5, 0.5, 0)); // on a face: not a corner
        var hull = ConvexHull.Build(pts);
        hull.Vertices.Should().BeEquivalentTo(Enumerable.Range(0, 8));
        hull.Faces.Should().HaveCount(12);
        hull.Volume(pts).Should().BeApproximately(1.0, 1e-12);
        hull.Depth(new Vec3(0.5, 0.5, 0.5)).Should().BeApproximately(0.5, 1e-12);
        hull.Depth(new Vec3(0.5, 0.5, 0.1)).Should().BeApproximately(0.1, 1e-12);
        hull.Depth(new Vec3(2, 2, 2)).Should().Be(0);
    }

    [Theory]
    [InlineData(12, 1)]
    [InlineData(30, 2)]
    [InlineData(40, 3)]
    public void Random_points_match_the_brute_force_hull_and_form_a_closed_convex_surface(int n, long seed)
    {
        var p = RandomPoints(n, seed);
        var hull = ConvexHull.Build(p);
        hull.Vertices.Should().BeEquivalentTo(BruteForceVertices(p));
        // Euler: V - E + F = 2 with E = 3F / 2 for a closed triangulated surface.
        (hull.Vertices.Count - 3 * hull.Faces.Count / 2 + hull.Faces.Count).Should().Be(2);
        // Every point is inside or on every face plane; every corner lies on some face.
        foreach (var q in p) hull.SignedDistance(q).Should().BeLessThanOrEqualTo(hull.Tolerance);
        foreach (var v in hull.Vertices) Math.Abs(hull.SignedDistance(p[v])).Should().BeLessThan(1e-9);
    }

    [Fact]
    public void Many_points_on_a_sphere_are_all_corners()
    {
        var p = RandomPoints(400, 4).Select(v => v.Normalized()).ToArray();
        var hull = ConvexHull.Build(p);
        hull.Vertices.Should().HaveCount(400);
        hull.Faces.Should().HaveCount(2 * 400 - 4);
        hull.Volume(p).Should().BeInRange(0.9 * 4 * Math.PI / 3, 4 * Math.PI / 3);
    }

    [Fact]
    public void Flat_or_tiny_sets_are_degenerate()
    {
        var flat = RandomPoints(30, 5).Select(v => new Vec3(v.X, v.Y, 0.25)).ToArray();
        ConvexHull.Build(flat).IsDegenerate.Should().BeTrue();
        ConvexHull.Build(flat).Depth(new Vec3(0, 0, 0.25)).Should().Be(0);
        ConvexHull.Build(RandomPoints(3, 6)).IsDegenerate.Should().BeTrue();
        var act = () => ConvexHull.Build(flat, tolerance: -1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-1*");
    }

    [Fact]
    public void Planes_tensor_holds_unit_outward_normals()
    {
        var p = RandomPoints(25, 7);
        var hull = ConvexHull.Build(p);
        using var planes = hull.PlanesTensor();
        planes.shape.Should().Equal(hull.Faces.Count, 4);
        using var norms = planes[.., ..3].norm(1);
        norms.allclose(ones_like(norms), 1e-5, 1e-5).Should().BeTrue();
        var centroid = p.Aggregate(Vec3.Zero, (a, b) => a + b) / p.Length;
        foreach (var (n, d) in hull.Planes) (Vec3.Dot(n, centroid) - d).Should().BeNegative();
    }
}
