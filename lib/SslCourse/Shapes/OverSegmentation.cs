using System.Runtime.CompilerServices;
namespace SslCourse.Shapes;

/// <summary>
/// Splits a point cloud into many small compact segments, the starting point of the convex decomposition:
/// k-means (Lloyd) on the coordinates, seeded by farthest-point sampling from point 0, so the result is
/// deterministic and the seeds spread evenly over the surface.
/// </summary>
public static class OverSegmentation
{
    /// <summary>Segment id of every point, [N], ids 0..K'-1 (K' &lt;= <paramref name="segments"/>: empty segments are dropped).</summary>
    /// <param name="points">The cloud.</param>
    /// <param name="segments">Number of k-means centres (at most N).</param>
    /// <param name="iterations">Lloyd iterations.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] KMeans(IReadOnlyList<Vec3> points, int segments, int iterations = 10)
    {
        var pts = points as Vec3[] ?? points.ToArray();
        int n = pts.Length;
        if (segments < 1 || segments > n) throw new ArgumentOutOfRangeException(nameof(segments), segments, $"segments must be in [1, {n}] for {n} points, got {segments}.");
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations must be non-negative, got {iterations}.");
        var centres = FarthestPoints(pts, segments).Select(i => pts[i]).ToArray();
        var label = new int[n];
        for (int it = 0; it <= iterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                int best = 0; double bd = double.PositiveInfinity;
                for (int c = 0; c < centres.Length; c++)
                {
                    double d = (pts[i] - centres[c]).LengthSquared;
                    if (d < bd) { bd = d; best = c; }
                }
                label[i] = best;
            }
            if (it == iterations) break;
            var sum = new Vec3[centres.Length];
            var count = new int[centres.Length];
            for (int i = 0; i < n; i++) { sum[label[i]] += pts[i]; count[label[i]]++; }
            for (int c = 0; c < centres.Length; c++) if (count[c] > 0) centres[c] = sum[c] / count[c];
        }
        // Renumber the non-empty segments 0..K'-1 in order of first appearance.
        var map = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            if (!map.TryGetValue(label[i], out var id)) map[label[i]] = id = map.Count;
            label[i] = id;
        }
        return label;
    }

    /// <summary>Farthest-point sampling: point 0, then repeatedly the point farthest from those chosen; [count] indices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] FarthestPoints(IReadOnlyList<Vec3> points, int count)
    {
        var pts = points as Vec3[] ?? points.ToArray();
        int n = pts.Length;
        if (count < 1 || count > n) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [1, {n}], got {count}.");
        var chosen = new int[count];
        var nearest = new double[n];
        Array.Fill(nearest, double.PositiveInfinity);
        int current = 0;
        for (int c = 0; c < count; c++)
        {
            chosen[c] = current;
            int next = 0; double far = -1;
            for (int i = 0; i < n; i++)
            {
                nearest[i] = Math.Min(nearest[i], (pts[i] - pts[current]).LengthSquared);
                if (nearest[i] > far) { far = nearest[i]; next = i; }
            }
            current = next;
        }
        return chosen;
    }
}
