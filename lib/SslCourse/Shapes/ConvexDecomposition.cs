using System.Runtime.CompilerServices;
namespace SslCourse.Shapes;

/// <summary>Settings of <see cref="ConvexDecomposition"/>.</summary>
/// <param name="Segments">k-means segments of the over-segmentation (the finest pieces possible).</param>
/// <param name="Threshold">Largest concavity a merged piece may have, in the cloud's units (shapes in the unit ball).</param>
/// <param name="Neighbours">Nearest neighbours per point for deciding which segments touch.</param>
/// <param name="ContactFactor">Two segments touch when a point of one has a point of the other among its
/// <paramref name="Neighbours"/> nearest, closer than this many times the median nearest-neighbour distance.</param>
/// <param name="Iterations">Lloyd iterations of the k-means.</param>
public sealed record DecompositionOptions(int Segments = 40, double Threshold = 0.04, int Neighbours = 8, double ContactFactor = 3.0, int Iterations = 10)
{
    /// <summary>Throws if a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (Segments < 1) throw new ArgumentOutOfRangeException(nameof(Segments), Segments, $"Segments must be at least 1, got {Segments}.");
        if (!(Threshold >= 0)) throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, $"Threshold must be non-negative, got {Threshold}.");
        if (Neighbours < 1) throw new ArgumentOutOfRangeException(nameof(Neighbours), Neighbours, $"Neighbours must be at least 1, got {Neighbours}.");
        if (!(ContactFactor > 0)) throw new ArgumentOutOfRangeException(nameof(ContactFactor), ContactFactor, $"ContactFactor must be positive, got {ContactFactor}.");
        if (Iterations < 0) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"Iterations must be non-negative, got {Iterations}.");
    }
}

/// <summary>
/// An approximate convex decomposition (ACD) of a point cloud computed from the points alone: over-segment with
/// k-means (<see cref="OverSegmentation"/>), link segments that touch (nearest neighbours), then greedily merge the
/// touching pair whose union is least concave (<see cref="Concavity"/>) as long as that concavity stays under a
/// threshold. What is left are nearly convex pieces: a leg, a seat, a lamp shade, arcs of a mug handle. The
/// pieces are the free labels of the pretext task of Gadelha, Roy Chowdhury, Sharma, Kalogerakis, Cao,
/// Learned-Miller, Wang, Maji, "Label-Efficient Learning on Point Clouds using Approximate Convex
/// Decompositions", ECCV 2020 (who ran an off-the-shelf mesh ACD; this is a point-cloud stand-in).
/// </summary>
public sealed class ConvexDecomposition
{
    /// <summary>Piece id of every point, [N]; pieces are numbered by size, largest first.</summary>
    public int[] Pieces { get; }
    /// <summary>The over-segmentation the merging started from, [N].</summary>
    public int[] Segments { get; }
    /// <summary>Concavity of each piece, [PieceCount].</summary>
    public double[] PieceConcavity { get; }
    /// <summary>Number of pieces.</summary>
    public int PieceCount => PieceConcavity.Length;

    ConvexDecomposition(int[] pieces, int[] segments, double[] concavity) { Pieces = pieces; Segments = segments; PieceConcavity = concavity; }

    /// <summary>Decomposes points [N*3] (packed x, y, z).</summary>
    public static ConvexDecomposition Compute(ReadOnlySpan<float> xyz, DecompositionOptions? options = null)
    {
        var pts = new Vec3[xyz.Length / 3];
        for (int i = 0; i < pts.Length; i++) pts[i] = Vec3.At(xyz, i);
        return Compute(pts, options);
    }

    /// <summary>Decomposes every shape (in parallel over shapes); the result depends only on each shape's points.</summary>
    public static ConvexDecomposition[] ComputeAll(IReadOnlyList<PartShape> shapes, DecompositionOptions? options = null)
    {
        var result = new ConvexDecomposition[shapes.Count];
        Parallel.For(0, shapes.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            i => result[i] = Compute(shapes[i].Points, options));
        return result;
    }

    /// <summary>Decomposes <paramref name="points"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvexDecomposition Compute(IReadOnlyList<Vec3> points, DecompositionOptions? options = null)
    {
        options ??= new DecompositionOptions();
        options.Validate();
        points = points as Vec3[] ?? points.ToArray();
        int n = points.Count;
        if (n < 2) throw new ArgumentException($"points: at least 2 are needed, got {n}.", nameof(points));
        var segments = OverSegmentation.KMeans(points, Math.Min(options.Segments, n), options.Iterations);
        int k = Math.Min(options.Neighbours, n - 1);
        var knn = PointNeighbours.Nearest(points, k);
        var nearestDistances = Enumerable.Range(0, n).Select(i => (points[i] - points[knn[i * k]]).Length).OrderBy(d => d).ToArray();
        double contact = options.ContactFactor * nearestDistances[n / 2];

        // Members and hull corners of each live segment; touching pairs with their merge cost.
        var members = new Dictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            if (!members.TryGetValue(segments[i], out var list)) members[segments[i]] = list = new List<int>();
            list.Add(i);
        }
        var corners = members.ToDictionary(m => m.Key, m => Corners(points, m.Value));
        var concavity = members.ToDictionary(m => m.Key, m => ConcavityOf(points, m.Value, m.Value));
        var neighbours = members.Keys.ToDictionary(s => s, _ => new HashSet<int>());
        for (int i = 0; i < n; i++)
            for (int a = 0; a < k; a++)
            {
                int j = knn[i * k + a];
                if (segments[i] != segments[j] && (points[i] - points[j]).Length <= contact)
                {
                    neighbours[segments[i]].Add(segments[j]); neighbours[segments[j]].Add(segments[i]);
                }
            }
        var cost = new Dictionary<(int, int), double>();
        double Cost(int a, int b)
        {
            var key = a < b ? (a, b) : (b, a);
            if (!cost.TryGetValue(key, out var c))
            {
                var union = members[a].Concat(members[b]).ToList();
                var hullInput = corners[a].Concat(corners[b]).ToList();
                cost[key] = c = ConcavityOf(points, union, hullInput, options.Threshold);
            }
            return c;
        }

        while (true)
        {
            (int A, int B) best = (-1, -1);
            double bestCost = double.PositiveInfinity;
            foreach (var (a, set) in neighbours)
                foreach (var b in set)
                {
                    if (b <= a) continue;
                    double c = Cost(a, b);
                    if (c < bestCost) { bestCost = c; best = (a, b); }
                }
            if (best.A < 0 || bestCost > options.Threshold) break;
            var (keep, gone) = best;
            members[keep].AddRange(members[gone]);
            corners[keep] = Corners(points, corners[keep].Concat(corners[gone]).ToList());
            concavity[keep] = bestCost;
            foreach (var other in neighbours[gone])
            {
                if (other == keep) continue;
                neighbours[other].Remove(gone); neighbours[other].Add(keep); neighbours[keep].Add(other);
            }
            neighbours[keep].Remove(gone);
            members.Remove(gone); corners.Remove(gone); concavity.Remove(gone); neighbours.Remove(gone);
            foreach (var key in cost.Keys.Where(key => key.Item1 == keep || key.Item2 == keep || key.Item1 == gone || key.Item2 == gone).ToList())
                cost.Remove(key);
        }

        var order = members.Keys.OrderByDescending(s => members[s].Count).ThenBy(s => members[s].Min()).ToArray();
        var pieces = new int[n];
        var pieceConcavity = new double[order.Length];
        for (int p = 0; p < order.Length; p++)
        {
            foreach (var i in members[order[p]]) pieces[i] = p;
            pieceConcavity[p] = concavity[order[p]];
        }
        return new ConvexDecomposition(pieces, segments, pieceConcavity);
    }

    // The hull corners of a set of points (all of them when the set is flat): the hull of a union of sets is the hull
    // of the union of their corners, so merging never needs to look at interior points to build a hull.
    static List<int> Corners(IReadOnlyList<Vec3> points, List<int> indices)
    {
        var hull = ConvexHull.Build(indices.Select(i => points[i]).ToArray());
        return hull.IsDegenerate ? indices.ToList() : hull.Vertices.Select(v => indices[v]).ToList();
    }

    // The concavity of `members` under the hull of `hullInput`, computed only as far as needed: once it passes
    // `limit` the pair can never merge, and the running value (a lower bound) is returned. A point stops being
    // examined as soon as some face is closer than the deepest point so far.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double ConcavityOf(IReadOnlyList<Vec3> points, List<int> members, List<int> hullInput, double limit = double.PositiveInfinity)
    {
        var hull = ConvexHull.Build(hullInput.Select(i => points[i]).ToArray());
        if (hull.IsDegenerate) return 0;
        var planes = hull.PlaneArray;
        double worst = 0;
        foreach (var i in members)
        {
            var p = points[i];
            double depth = double.PositiveInfinity;
            for (int f = 0; f < planes.Length && depth > worst; f++)
                depth = Math.Min(depth, planes[f].Offset - Vec3.Dot(planes[f].Normal, p));
            if (depth > worst)
            {
                worst = depth;
                if (worst > limit) return worst;
            }
        }
        return worst;
    }
}
