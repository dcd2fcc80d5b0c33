using System.Runtime.CompilerServices;
namespace SslCourse.Shapes;

/// <summary>Nearest neighbours in a small point cloud, by brute force (N up to a few thousand).</summary>
public static class PointNeighbours
{
    /// <summary>The <paramref name="k"/> nearest other points of every point, nearest first: [N*k] indices
    /// (row i holds point i's neighbours). Ties go to the lower index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Nearest(IReadOnlyList<Vec3> points, int k)
    {
        var pts = points as Vec3[] ?? points.ToArray();
        int n = pts.Length;
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {n - 1}] for {n} points, got {k}.");
        var result = new int[n * k];
        var dist = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) { dist[j] = j == i ? double.PositiveInfinity : (pts[i] - pts[j]).LengthSquared; order[j] = j; }
            // Partial selection of the k smallest (stable on ties by index).
            for (int a = 0; a < k; a++)
            {
                int best = a;
                for (int b = a + 1; b < n; b++)
                    if (dist[order[b]] < dist[order[best]] || (dist[order[b]] == dist[order[best]] && order[b] < order[best])) best = b;
                (order[a], order[best]) = (order[best], order[a]);
                result[i * k + a] = order[a];
            }
        }
        return result;
    }
}
