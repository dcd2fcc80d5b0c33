using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// How far a point set is from convex: its concavity is the largest distance of one of its points below the
/// surface of its own convex hull (the boundary-to-hull distance of Lien and Amato, "Approximate convex
/// decomposition of polyhedra", SPM 2007, measured on points). Points sampled on a convex surface lie on their
/// hull (concavity near 0, up to the sampling gap on curved surfaces); a seat with a leg under it, an L or a ring
/// has points deep inside. A flat or degenerate set has concavity 0.
/// </summary>
public static class Concavity
{
    /// <summary>Depth of each point below the hull surface given by its face planes:
    /// depth_i = max(0, min_f (d_f - n_f · x_i)). Points [M, 3], planes [F, 4] rows (n, d) with n·x &lt;= d inside
    /// -> depths [M]. No planes (a degenerate hull): all zeros.</summary>
    public static Tensor Depths(Tensor points, Tensor planes)
    {
        if (points.dim() != 2 || points.shape[1] != 3)
            throw new ArgumentException($"points: expected [M, 3], got [{string.Join(", ", points.shape)}].", nameof(points));
        if (planes.dim() != 2 || planes.shape[1] != 4)
            throw new ArgumentException($"planes: expected [F, 4], got [{string.Join(", ", planes.shape)}].", nameof(planes));
        if (planes.shape[0] == 0) return zeros(points.shape[0], dtype: points.dtype);
        using var scope = NewDisposeScope();
        var normals = planes[.., ..3];                                    // [F, 3]
        var offsets = planes[.., 3];                                      // [F]
        var slack = offsets.unsqueeze(0) - points.matmul(normals.t());    // [M, 3] @ [3, F] -> [M, F]
        return slack.min(1).values.clamp_min(0).MoveToOuterDisposeScope(); // [M]
    }

    /// <summary>The concavity of points [M, 3] under a hull with planes [F, 4]: the largest depth -> scalar.</summary>
    public static Tensor Measure(Tensor points, Tensor planes)
    {
        using var scope = NewDisposeScope();
        return Depths(points, planes).max().MoveToOuterDisposeScope();
    }

    /// <summary>Depth of each point below the surface of the hull of all of them, [M].</summary>
    public static double[] DepthsOf(IReadOnlyList<Vec3> points)
    {
        var hull = ConvexHull.Build(points);
        var depths = new double[points.Count];
        for (int i = 0; i < depths.Length; i++) depths[i] = hull.Depth(points[i]);
        return depths;
    }

    /// <summary>The concavity of a point set: the largest depth of its points below its own hull (0 if empty).</summary>
    public static double Of(IReadOnlyList<Vec3> points) => points.Count == 0 ? 0 : DepthsOf(points).Max();
}
