using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// The convex hull of a 3-D point set by QuickHull (Barber, Dobkin, Huhdanpaa, ACM TOMS 1996): start from a
/// tetrahedron of extreme points, then repeatedly take the point farthest outside some face, remove every face it
/// sees and close the hole with a fan of triangles from that point to the horizon. Points within
/// <see cref="Tolerance"/> of a face count as on it, so coplanar points (a box face) add no slivers.
/// A set that is flat, a line or fewer than 4 points is <see cref="IsDegenerate"/>: it has no faces, and every
/// point lies on its (flat) hull.
/// </summary>
public sealed class ConvexHull
{
    /// <summary>Indices (into the input) of the hull's corner points, ascending.</summary>
    public IReadOnlyList<int> Vertices { get; }
    /// <summary>Triangular faces as input indices, counter-clockwise seen from outside.</summary>
    public IReadOnlyList<(int A, int B, int C)> Faces { get; }
    /// <summary>Each face's plane: unit outward normal N and offset D, so that N·x &lt;= D inside.</summary>
    public IReadOnlyList<(Vec3 Normal, double Offset)> Planes { get; }
    /// <summary>True when the points span less than 3 dimensions (no faces).</summary>
    public bool IsDegenerate => Faces.Count == 0;
    /// <summary>The distance below which a point counts as on a face.</summary>
    public double Tolerance { get; }

    internal readonly (Vec3 Normal, double Offset)[] PlaneArray;

    ConvexHull(IReadOnlyList<int> vertices, IReadOnlyList<(int, int, int)> faces, (Vec3, double)[] planes, double tolerance)
    {
        Vertices = vertices; Faces = faces; Planes = PlaneArray = planes; Tolerance = tolerance;
    }

    /// <summary>The default tolerance for a set whose bounding box has longest side <paramref name="extent"/>
    /// (1e-6 of it: above float32 rounding of coordinates, far below any distance the course measures).</summary>
    public static double DefaultTolerance(double extent) => 1e-6 * Math.Max(extent, 1e-12);

    /// <summary>The hull of points [N*3] (packed x, y, z).</summary>
    public static ConvexHull Build(ReadOnlySpan<float> xyz, double? tolerance = null)
    {
        var pts = new Vec3[xyz.Length / 3];
        for (int i = 0; i < pts.Length; i++) pts[i] = Vec3.At(xyz, i);
        return Build(pts, tolerance);
    }

    /// <summary>The hull of <paramref name="points"/>.</summary>
    /// <param name="points">The points (any number; fewer than 4 give a degenerate hull).</param>
    /// <param name="tolerance">Distance under which a point counts as on a face; default <see cref="DefaultTolerance"/>.</param>
    public static ConvexHull Build(IReadOnlyList<Vec3> points, double? tolerance = null)
    {
        if (tolerance is double t && !(t >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), t, $"tolerance must be non-negative, got {t}.");
        var pts = points as Vec3[] ?? points.ToArray();
        int n = pts.Length;
        double eps = tolerance ?? DefaultTolerance(Extent(pts));
        var empty = new ConvexHull(Enumerable.Range(0, n).ToArray(), Array.Empty<(int, int, int)>(), Array.Empty<(Vec3, double)>(), eps);
        if (n < 4) return empty;
        var simplex = InitialSimplex(pts, eps);
        if (simplex == null) return empty;
        return new Builder(pts, eps).Run(simplex.Value);
    }

    static double Extent(Vec3[] p)
    {
        if (p.Length == 0) return 0;
        double x0 = p[0].X, x1 = x0, y0 = p[0].Y, y1 = y0, z0 = p[0].Z, z1 = z0;
        foreach (var q in p)
        {
            x0 = Math.Min(x0, q.X); x1 = Math.Max(x1, q.X); y0 = Math.Min(y0, q.Y); y1 = Math.Max(y1, q.Y);
            z0 = Math.Min(z0, q.Z); z1 = Math.Max(z1, q.Z);
        }
        return Math.Max(x1 - x0, Math.Max(y1 - y0, z1 - z0));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static (int, int, int, int)? InitialSimplex(Vec3[] p, double eps)
    {
        // The two farthest apart of the six axis-extreme points.
        var extremes = new int[6];
        for (int i = 1; i < p.Length; i++)
        {
            if (p[i].X < p[extremes[0]].X) extremes[0] = i; if (p[i].X > p[extremes[1]].X) extremes[1] = i;
            if (p[i].Y < p[extremes[2]].Y) extremes[2] = i; if (p[i].Y > p[extremes[3]].Y) extremes[3] = i;
            if (p[i].Z < p[extremes[4]].Z) extremes[4] = i; if (p[i].Z > p[extremes[5]].Z) extremes[5] = i;
        }
        int a = 0, b = 0; double best = -1;
        foreach (var i in extremes) foreach (var j in extremes)
            {
                double d = (p[i] - p[j]).LengthSquared;
                if (d > best) { best = d; a = i; b = j; }
            }
        if (Math.Sqrt(best) <= eps) return null;
        // Farthest from the line ab.
        var dir = (p[b] - p[a]).Normalized();
        int c = -1; best = eps;
        for (int i = 0; i < p.Length; i++)
        {
            double d = Vec3.Cross(p[i] - p[a], dir).Length;
            if (d > best) { best = d; c = i; }
        }
        if (c < 0) return null;
        // Farthest from the plane abc.
        var normal = Vec3.Cross(p[b] - p[a], p[c] - p[a]).Normalized();
        int e = -1; best = eps;
        for (int i = 0; i < p.Length; i++)
        {
            double d = Math.Abs(Vec3.Dot(p[i] - p[a], normal));
            if (d > best) { best = d; e = i; }
        }
        if (e < 0) return null;
        return (a, b, c, e);
    }

    sealed class Face
    {
        public int A, B, C;
        public Vec3 N;
        public double D;
        public bool Alive = true;
        public int Stamp = -1; // the iteration in which this face was found visible
        public List<int> Outside = new();
        public int Edge(int k, out int v) { v = k == 0 ? B : k == 1 ? C : A; return k == 0 ? A : k == 1 ? B : C; }
    }

    sealed class Builder(Vec3[] p, double eps)
    {
        readonly List<Face> _faces = new();
        readonly Dictionary<long, int> _edgeFace = new(); // directed edge (u, v) -> face holding it counter-clockwise

        long Key(int u, int v) => (long)u * p.Length + v;

        double Distance(Face f, int i) => Vec3.Dot(f.N, p[i]) - f.D;

        int AddFace(int a, int b, int c)
        {
            var n = Vec3.Cross(p[b] - p[a], p[c] - p[a]).Normalized();
            var f = new Face { A = a, B = b, C = c, N = n, D = Vec3.Dot(n, p[a]) };
            _faces.Add(f);
            int id = _faces.Count - 1;
            _edgeFace[Key(a, b)] = id; _edgeFace[Key(b, c)] = id; _edgeFace[Key(c, a)] = id;
            return id;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ConvexHull Run((int, int, int, int) simplex)
        {
            var (a, b, c, d) = simplex;
            // Orient the first triangle away from the fourth point, then build the other three around it.
            var n = Vec3.Cross(p[b] - p[a], p[c] - p[a]);
            if (Vec3.Dot(n, p[d] - p[a]) > 0) (b, c) = (c, b);
            var first = new[] { AddFace(a, b, c), AddFace(a, d, b), AddFace(b, d, c), AddFace(c, d, a) };
            var inSimplex = new HashSet<int> { a, b, c, d };
            for (int i = 0; i < p.Length; i++)
            {
                if (inSimplex.Contains(i)) continue;
                foreach (var f in first)
                    if (Distance(_faces[f], i) > eps) { _faces[f].Outside.Add(i); break; }
            }
            var pending = new Stack<int>(first.Where(f => _faces[f].Outside.Count > 0));
            var visible = new List<int>();
            var horizon = new List<(int U, int V)>();
            var orphans = new List<int>();
            var created = new List<int>();
            int iteration = 0;
            while (pending.Count > 0)
            {
                int start = pending.Pop();
                var face = _faces[start];
                if (!face.Alive || face.Outside.Count == 0) continue;
                iteration++;
                int eye = face.Outside[0];
                double far = Distance(face, eye);
                foreach (var i in face.Outside) { double dd = Distance(face, i); if (dd > far) { far = dd; eye = i; } }
                // Faces the eye sees, found by walking across edges from the start face.
                visible.Clear(); horizon.Clear(); orphans.Clear(); created.Clear();
                visible.Add(start); face.Stamp = iteration;
                for (int k = 0; k < visible.Count; k++)
                {
                    var g = _faces[visible[k]];
                    for (int e = 0; e < 3; e++)
                    {
                        int u = g.Edge(e, out int v);
                        var h = _faces[_edgeFace[Key(v, u)]];
                        if (h.Stamp == iteration) continue;
                        if (Distance(h, eye) > eps) { h.Stamp = iteration; visible.Add(_edgeFace[Key(v, u)]); }
                    }
                }
                foreach (var fi in visible)
                {
                    var g = _faces[fi];
                    for (int e = 0; e < 3; e++)
                    {
                        int u = g.Edge(e, out int v);
                        if (_faces[_edgeFace[Key(v, u)]].Stamp != iteration) horizon.Add((u, v));
                    }
                }
                foreach (var fi in visible)
                {
                    var g = _faces[fi];
                    g.Alive = false;
                    _edgeFace.Remove(Key(g.A, g.B)); _edgeFace.Remove(Key(g.B, g.C)); _edgeFace.Remove(Key(g.C, g.A));
                    foreach (var i in g.Outside) if (i != eye) orphans.Add(i);
                    g.Outside = new List<int>();
                }
                foreach (var (u, v) in horizon) created.Add(AddFace(u, v, eye));
                foreach (var i in orphans)
                    foreach (var f in created)
                        if (Distance(_faces[f], i) > eps) { _faces[f].Outside.Add(i); break; }
                foreach (var f in created) if (_faces[f].Outside.Count > 0) pending.Push(f);
            }
            var alive = _faces.Where(f => f.Alive).ToList();
            var vertices = alive.SelectMany(f => new[] { f.A, f.B, f.C }).Distinct().OrderBy(i => i).ToArray();
            return new ConvexHull(vertices, alive.Select(f => (f.A, f.B, f.C)).ToArray(), alive.Select(f => (f.N, f.D)).ToArray(), eps);
        }
    }

    /// <summary>Signed distance of <paramref name="point"/> to the hull's face planes: max over faces of N·x - D
    /// (negative inside, where its magnitude is the distance to the hull's surface; 0 for a degenerate hull).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double SignedDistance(Vec3 point)
    {
        if (IsDegenerate) return 0;
        double s = double.NegativeInfinity;
        foreach (var (n, d) in PlaneArray) s = Math.Max(s, Vec3.Dot(n, point) - d);
        return s;
    }

    /// <summary>How deep <paramref name="point"/> lies inside the hull: the distance to the hull's surface, 0 on or outside it.</summary>
    public double Depth(Vec3 point) => Math.Max(0, -SignedDistance(point));

    /// <summary>The face planes as a tensor [F, 4] (float32): rows (nx, ny, nz, d) with n·x &lt;= d inside.</summary>
    public Tensor PlanesTensor()
    {
        var data = new float[Planes.Count * 4];
        for (int f = 0; f < Planes.Count; f++)
        {
            var (n, d) = Planes[f];
            data[4 * f] = (float)n.X; data[4 * f + 1] = (float)n.Y; data[4 * f + 2] = (float)n.Z; data[4 * f + 3] = (float)d;
        }
        return tensor(data, new long[] { Planes.Count, 4 });
    }

    /// <summary>Volume enclosed (0 for a degenerate hull), by the divergence theorem over the faces.</summary>
    public double Volume(IReadOnlyList<Vec3> points)
    {
        double v = 0;
        foreach (var (a, b, c) in Faces) v += Vec3.Dot(points[a], Vec3.Cross(points[b], points[c])) / 6;
        return v;
    }
}
