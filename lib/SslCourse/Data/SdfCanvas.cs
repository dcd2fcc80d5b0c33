using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SslCourse.Data;

/// <summary>The kinds of shape the procedural renderer draws (each a signed distance function in object units).</summary>
internal enum PrimKind : byte { Circle, Ellipse, Box, Poly, Ring, Star, HalfDisc }

/// <summary>An RGB colour with components in 0..1.</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public static Rgb operator *(Rgb c, float k) => new(c.R * k, c.G * k, c.B * k);
    public Rgb Lerp(Rgb o, float t) => new(R + (o.R - R) * t, G + (o.G - G) * t, B + (o.B - B) * t);
}

/// <summary>
/// One filled shape in an object's own frame (u to the right, v downwards, the object inside [-1, 1]^2).
/// Parameters by kind: Circle (cx, cy, r); Ellipse (cx, cy, rx, ry); Box (cx, cy, half width, half height);
/// Ring (cx, cy, radius, half width); Star (cx, cy, outer, inner); HalfDisc (cx, cy, r: the upper half);
/// Poly: 3 or 4 edges of a convex polygon as (nx, ny, c), inside where nx*u + ny*v - c &lt; 0 for every edge.
/// </summary>
internal struct Prim
{
    public PrimKind Kind;
    public int Edges;
    // kind parameters (Poly: edge 0 and 1 as (nx, ny, c) in P0..P5, edges 2 and 3 in Q0..Q5)
    public float P0, P1, P2, P3, P4, P5, Q0, Q1, Q2, Q3, Q4, Q5;
    // a box in object units that holds the shape: pixels outside it are skipped without evaluating the distance
    public float MinU, MaxU, MinV, MaxV;
    public Rgb Colour;

    public static Prim Circle(float cx, float cy, float r, Rgb c) => Make(PrimKind.Circle, c, cx, cy, r, 0, r, r);
    public static Prim Ellipse(float cx, float cy, float rx, float ry, Rgb c) => Make(PrimKind.Ellipse, c, cx, cy, rx, ry, rx, ry);
    public static Prim Box(float cx, float cy, float hw, float hh, Rgb c) => Make(PrimKind.Box, c, cx, cy, hw, hh, hw, hh);
    public static Prim Ring(float cx, float cy, float r, float hw, Rgb c) => Make(PrimKind.Ring, c, cx, cy, r, hw, r + hw, r + hw);
    public static Prim Star(float cx, float cy, float outer, float inner, Rgb c) => Make(PrimKind.Star, c, cx, cy, outer, inner, outer, outer);
    public static Prim HalfDisc(float cx, float cy, float r, Rgb c) => Make(PrimKind.HalfDisc, c, cx, cy, r, 0, r, r);

    /// <summary>A convex polygon from 3 or 4 vertices given in either winding order.</summary>
    public static Prim Polygon(Rgb c, params ReadOnlySpan<float> xy)
    {
        int n = xy.Length / 2;
        if (n < 3 || n > 4) throw new ArgumentException($"a polygon needs 3 or 4 vertices, got {n}.", nameof(xy));
        var p = new Prim { Kind = PrimKind.Poly, Colour = c, Edges = n, MinU = 1e9f, MaxU = -1e9f, MinV = 1e9f, MaxV = -1e9f };
        // signed area decides the winding, so that every normal points outwards
        float area = 0;
        for (int i = 0; i < n; i++)
        {
            int j = (i + 1) % n;
            area += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        float sign = area > 0 ? 1 : -1;
        Span<float> e = stackalloc float[12];
        e.Fill(0); e[2] = e[5] = e[8] = e[11] = 1e9f; // unused edges never bind: -c is hugely negative
        for (int i = 0; i < n; i++)
        {
            int j = (i + 1) % n;
            float ex = xy[2 * j] - xy[2 * i], ey = xy[2 * j + 1] - xy[2 * i + 1];
            float len = MathF.Sqrt(ex * ex + ey * ey);
            float nx = sign * ey / len, ny = -sign * ex / len; // outward normal
            e[3 * i] = nx; e[3 * i + 1] = ny; e[3 * i + 2] = nx * xy[2 * i] + ny * xy[2 * i + 1];
            p.MinU = MathF.Min(p.MinU, xy[2 * i]); p.MaxU = MathF.Max(p.MaxU, xy[2 * i]);
            p.MinV = MathF.Min(p.MinV, xy[2 * i + 1]); p.MaxV = MathF.Max(p.MaxV, xy[2 * i + 1]);
        }
        if (n == 3) { e[9] = e[0]; e[10] = e[1]; e[11] = e[2]; } // repeat an edge rather than test a dummy
        (p.P0, p.P1, p.P2, p.P3, p.P4, p.P5) = (e[0], e[1], e[2], e[3], e[4], e[5]);
        (p.Q0, p.Q1, p.Q2, p.Q3, p.Q4, p.Q5) = (e[6], e[7], e[8], e[9], e[10], e[11]);
        return p;
    }

    static Prim Make(PrimKind kind, Rgb c, float a, float b, float d, float e, float extentU, float extentV) => new()
    {
        Kind = kind, Colour = c, P0 = a, P1 = b, P2 = d, P3 = e,
        MinU = a - extentU, MaxU = a + extentU, MinV = b - extentV, MaxV = b + extentV,
    };

    /// <summary>atan2 to within about 0.005 rad, several times faster than MathF.Atan2: a first-order correction of
    /// the linear approximation pi/4 * z on |z| &lt;= 1 (Rajan, Wang, Inkol and Joyal, IEEE Signal Processing Magazine
    /// 2006), extended to all quadrants.</summary>
    static float FastAtan2(float y, float x)
    {
        float ax = MathF.Abs(x), ay = MathF.Abs(y);
        if (ax == 0 && ay == 0) return 0;
        float z = MathF.Min(ax, ay) / MathF.Max(ax, ay);
        float a = z * (MathF.PI / 4f + 0.273f * (1f - z));
        if (ay > ax) a = MathF.PI / 2f - a;
        if (x < 0) a = MathF.PI - a;
        return y < 0 ? -a : a;
    }

    /// <summary>Signed distance (object units, negative inside) of the point (u, v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly float Distance(float u, float v)
    {
        float x = u - P0, y = v - P1;
        switch (Kind)
        {
            case PrimKind.Circle:
                return MathF.Sqrt(x * x + y * y) - P2;
            case PrimKind.Ellipse:
            {
                float qx = x / P2, qy = y / P3;
                return (MathF.Sqrt(qx * qx + qy * qy) - 1f) * MathF.Min(P2, P3);
            }
            case PrimKind.Box:
            {
                float qx = MathF.Abs(x) - P2, qy = MathF.Abs(y) - P3;
                float ox = MathF.Max(qx, 0), oy = MathF.Max(qy, 0);
                return MathF.Sqrt(ox * ox + oy * oy) + MathF.Min(MathF.Max(qx, qy), 0);
            }
            case PrimKind.Ring:
                return MathF.Abs(MathF.Sqrt(x * x + y * y) - P2) - P3;
            case PrimKind.HalfDisc:
                return MathF.Max(MathF.Sqrt(x * x + y * y) - P2, y);
            case PrimKind.Star:
            {
                float r = MathF.Sqrt(x * x + y * y);
                const float sector = 2f * MathF.PI / 5f;
                float t = (FastAtan2(x, -y) + 2f * MathF.PI) % sector;  // 0 (and sector) where a point faces up
                t = MathF.Abs(t - sector / 2f) / (sector / 2f);          // 1 at a point, 0 between two points
                float edge = P3 + (P2 - P3) * t;
                return (r - edge) * 0.55f;
            }
            default:
                return MathF.Max(MathF.Max(P0 * u + P1 * v - P2, P3 * u + P4 * v - P5),
                                 MathF.Max(Q0 * u + Q1 * v - Q2, Q3 * u + Q4 * v - Q5));
        }
    }
    /// <summary><see cref="Distance(float, float)"/> of eight points at once: the same operations in the same order per lane, so
    /// the same bits (the star's sector arithmetic has no vector form and runs lane by lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly Vector256<float> Distance(Vector256<float> u, Vector256<float> v)
    {
        Vector256<float> x = u - Vector256.Create(P0), y = v - Vector256.Create(P1);
        switch (Kind)
        {
            case PrimKind.Circle:
                return Vector256.Sqrt(x * x + y * y) - Vector256.Create(P2);
            case PrimKind.Ellipse:
            {
                Vector256<float> qx = x / P2, qy = y / P3;
                return (Vector256.Sqrt(qx * qx + qy * qy) - Vector256<float>.One) * MathF.Min(P2, P3);
            }
            case PrimKind.Box:
            {
                Vector256<float> qx = Vector256.Abs(x) - Vector256.Create(P2), qy = Vector256.Abs(y) - Vector256.Create(P3);
                Vector256<float> ox = Vector256.Max(qx, Vector256<float>.Zero), oy = Vector256.Max(qy, Vector256<float>.Zero);
                return Vector256.Sqrt(ox * ox + oy * oy) + Vector256.Min(Vector256.Max(qx, qy), Vector256<float>.Zero);
            }
            case PrimKind.Ring:
                return Vector256.Abs(Vector256.Sqrt(x * x + y * y) - Vector256.Create(P2)) - Vector256.Create(P3);
            case PrimKind.HalfDisc:
                return Vector256.Max(Vector256.Sqrt(x * x + y * y) - Vector256.Create(P2), y);
            case PrimKind.Star:
            {
                Span<float> d = stackalloc float[8];
                for (int k = 0; k < 8; k++) d[k] = Distance(u.GetElement(k), v.GetElement(k));
                return Vector256.Create<float>(d);
            }
            default:
                return Vector256.Max(
                    Vector256.Max(u * P0 + v * P1 - Vector256.Create(P2), u * P3 + v * P4 - Vector256.Create(P5)),
                    Vector256.Max(u * Q0 + v * Q1 - Vector256.Create(Q2), u * Q3 + v * Q4 - Vector256.Create(Q5)));
        }
    }
}

/// <summary>Where an object sits in the image: centre and half-size in image units (0..1), rotation, mirror.</summary>
internal readonly record struct Placement(float Cx, float Cy, float Scale, float Angle, bool Mirror);

/// <summary>
/// Anti-aliased rasterisation of shapes given as signed distance functions into a planar float image [3, S, S].
/// Coverage of a pixel is a linear ramp of the distance over one pixel width, which is enough to keep 32x32
/// edges smooth.
/// </summary>
internal static unsafe class SdfCanvas
{
    /// <summary>Draws <paramref name="prims"/> in order (painter's algorithm) at <paramref name="at"/>, with a vertical
    /// light gradient: colours are multiplied by <c>1 - shade * v</c> (lit from above in the object's frame).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Draw(float* img, int size, in Placement at, ReadOnlySpan<Prim> prims, float shade)
    {
        int plane = size * size;
        float cos = MathF.Cos(at.Angle), sin = MathF.Sin(at.Angle), inv = 1f / at.Scale, mirror = at.Mirror ? -1f : 1f;
        float pixel = inv / size; // one pixel in object units
        // every shape lies in [-1, 1]^2 of its own frame, so within 1.45 half-sizes of the centre at any angle
        float reach = at.Scale * 1.45f;
        float minU = 1e9f, maxU = -1e9f, minV = 1e9f, maxV = -1e9f;
        foreach (ref readonly var q in prims)
        {
            minU = MathF.Min(minU, q.MinU); maxU = MathF.Max(maxU, q.MaxU);
            minV = MathF.Min(minV, q.MinV); maxV = MathF.Max(maxV, q.MaxV);
        }
        int x0 = Math.Max(0, (int)((at.Cx - reach) * size)), x1 = Math.Min(size - 1, (int)((at.Cx + reach) * size) + 1);
        int y0 = Math.Max(0, (int)((at.Cy - reach) * size)), y1 = Math.Min(size - 1, (int)((at.Cy + reach) * size) + 1);
        float invPixel = 1f / pixel;
        for (int y = y0; y <= y1; y++)
        {
            float dy = (y + 0.5f) / size - at.Cy;
            int x = x0;
            if (Vector256.IsHardwareAccelerated)
                for (; x + 7 <= x1; x += 8)
                    DrawEight(img + y * size + x, plane, size, x, dy, at, prims, shade, cos, sin, inv, mirror, pixel, invPixel, minU, maxU, minV, maxV);
            for (; x <= x1; x++)
            {
                float dx = (x + 0.5f) / size - at.Cx;
                float u = mirror * (dx * cos + dy * sin) * inv, v = (-dx * sin + dy * cos) * inv;
                if (u < minU - pixel || u > maxU + pixel || v < minV - pixel || v > maxV + pixel) continue;
                int i = y * size + x;
                float r = img[i], g = img[plane + i], b = img[2 * plane + i];
                bool touched = false;
                for (int k = 0; k < prims.Length; k++)
                {
                    ref readonly var q = ref prims[k];
                    if (u < q.MinU - pixel || u > q.MaxU + pixel || v < q.MinV - pixel || v > q.MaxV + pixel) continue;
                    float cov = 0.5f - q.Distance(u, v) * invPixel;
                    if (cov <= 0f) continue;
                    if (cov > 1f) cov = 1f;
                    var c = q.Colour;
                    r += (c.R - r) * cov; g += (c.G - g) * cov; b += (c.B - b) * cov;
                    touched = true;
                }
                if (!touched) continue;
                float light = 1f - shade * v;
                // the light falls on the whole pixel (edge pixels are partly backdrop: too little to matter)
                img[i] = r * light; img[plane + i] = g * light; img[2 * plane + i] = b * light;
            }
        }
    }

    /// <summary>The pixels x .. x + 7 of one row, as the scalar loop of <see cref="Draw"/> draws them (the same
    /// operations in the same order per lane, so the same bits): <paramref name="at"/> points at pixel x of plane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void DrawEight(float* at, int plane, int size, int x, float dy, in Placement where, ReadOnlySpan<Prim> prims,
        float shade, float cos, float sin, float inv, float mirror, float pixel, float invPixel,
        float minU, float maxU, float minV, float maxV)
    {
        var dx = (Vector256.Create((float)x) + Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f) + Vector256.Create(0.5f)) / size
            - Vector256.Create(where.Cx);
        var u = mirror * (dx * cos + Vector256.Create(dy * sin)) * inv;
        var v = (-dx * sin + Vector256.Create(dy * cos)) * inv;
        var inside = Within(u, v, minU - pixel, maxU + pixel, minV - pixel, maxV + pixel);
        if (inside == Vector256<float>.Zero) return;
        Vector256<float> r = Vector256.Load(at), g = Vector256.Load(at + plane), b = Vector256.Load(at + 2 * plane);
        var touched = Vector256<float>.Zero;
        Vector256<float> half = Vector256.Create(0.5f), one = Vector256<float>.One;
        for (int k = 0; k < prims.Length; k++)
        {
            ref readonly var q = ref prims[k];
            var near = inside & Within(u, v, q.MinU - pixel, q.MaxU + pixel, q.MinV - pixel, q.MaxV + pixel);
            if (near == Vector256<float>.Zero) continue;
            var cov = half - q.Distance(u, v) * invPixel;
            var hit = near & Vector256.GreaterThan(cov, Vector256<float>.Zero);
            if (hit == Vector256<float>.Zero) continue;
            cov = Vector256.Min(cov, one);
            var c = q.Colour;
            r = Vector256.ConditionalSelect(hit, r + (Vector256.Create(c.R) - r) * cov, r);
            g = Vector256.ConditionalSelect(hit, g + (Vector256.Create(c.G) - g) * cov, g);
            b = Vector256.ConditionalSelect(hit, b + (Vector256.Create(c.B) - b) * cov, b);
            touched |= hit;
        }
        if (touched == Vector256<float>.Zero) return;
        var light = one - shade * v;
        Vector256.ConditionalSelect(touched, r * light, r).Store(at);
        Vector256.ConditionalSelect(touched, g * light, g).Store(at + plane);
        Vector256.ConditionalSelect(touched, b * light, b).Store(at + 2 * plane);
    }

    /// <summary>All-ones lanes where lo &lt;= u &lt;= hi and lo &lt;= v &lt;= hi (the negation of the scalar loop's skip test).</summary>
    static Vector256<float> Within(Vector256<float> u, Vector256<float> v, float uLo, float uHi, float vLo, float vHi) =>
        Vector256.GreaterThanOrEqual(u, Vector256.Create(uLo)) & Vector256.LessThanOrEqual(u, Vector256.Create(uHi)) &
        Vector256.GreaterThanOrEqual(v, Vector256.Create(vLo)) & Vector256.LessThanOrEqual(v, Vector256.Create(vHi));
}
