using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// One object of the part-based shape set: N surface points with the global part id of each (see
/// <see cref="PartCatalog"/>), normalised to the unit ball (bounding-box centre at the origin, farthest point at
/// distance 1). Also records which generator primitive each point came from, for evaluating decompositions only:
/// nothing the learner sees is read from it.
/// </summary>
public sealed class PartShape
{
    /// <summary>Class id (index into <see cref="PartCatalog.Classes"/>).</summary>
    public int Class { get; }
    /// <summary>The index this shape was generated from.</summary>
    public int Index { get; }
    /// <summary>Point coordinates, packed [N*3] as x, y, z (z is up).</summary>
    public float[] Points { get; }
    /// <summary>Global part id of each point, [N].</summary>
    public int[] Parts { get; }
    /// <summary>Id of the generator primitive each point was sampled on, [N] (evaluation only).</summary>
    public int[] Primitives { get; }

    /// <summary>Number of points.</summary>
    public int Count => Parts.Length;

    /// <summary>Class name.</summary>
    public string ClassName => PartCatalog.Classes[Class];

    /// <summary>Creates a shape; the arrays are kept, not copied.</summary>
    public PartShape(int classId, int index, float[] points, int[] parts, int[] primitives)
    {
        if (points.Length != 3 * parts.Length)
            throw new ArgumentException($"points: expected {3 * parts.Length} coordinates for {parts.Length} points, got {points.Length}.", nameof(points));
        if (primitives.Length != parts.Length)
            throw new ArgumentException($"primitives: expected {parts.Length} ids, got {primitives.Length}.", nameof(primitives));
        Class = classId; Index = index; Points = points; Parts = parts; Primitives = primitives;
    }

    /// <summary>Point <paramref name="i"/>.</summary>
    public Vec3 Point(int i) => Vec3.At(Points, i);

    /// <summary>The points as a tensor [N, 3] (float32).</summary>
    public Tensor PointsTensor() => tensor(Points, new long[] { Count, 3 });

    /// <summary>The part ids as a tensor [N] (int64).</summary>
    public Tensor PartsTensor() => tensor(Parts.Select(p => (long)p).ToArray(), new long[] { Count });

    /// <summary>Stacks shapes with the same point count: points [B, N, 3] float32, parts [B, N] int64, classes [B] int64.</summary>
    public static (Tensor Points, Tensor Parts, Tensor Classes) Stack(IReadOnlyList<PartShape> shapes)
    {
        if (shapes.Count == 0) throw new ArgumentException("shapes: at least one shape is needed.", nameof(shapes));
        int n = shapes[0].Count;
        var bad = shapes.FirstOrDefault(s => s.Count != n);
        if (bad != null) throw new ArgumentException($"shapes: all need {n} points, shape {bad.Index} has {bad.Count}.", nameof(shapes));
        var xyz = new float[shapes.Count * n * 3];
        var parts = new long[shapes.Count * n];
        for (int b = 0; b < shapes.Count; b++)
        {
            Array.Copy(shapes[b].Points, 0, xyz, b * n * 3, n * 3);
            for (int i = 0; i < n; i++) parts[b * n + i] = shapes[b].Parts[i];
        }
        return (tensor(xyz, new long[] { shapes.Count, n, 3 }), tensor(parts, new long[] { shapes.Count, n }),
                tensor(shapes.Select(s => (long)s.Class).ToArray(), new long[] { shapes.Count }));
    }
}
