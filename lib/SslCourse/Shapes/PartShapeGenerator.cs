using System.Runtime.CompilerServices;
namespace SslCourse.Shapes;

/// <summary>
/// Procedural objects made of primitive parts (boxes, cylinders and cone frustums, sphere caps, torus arcs) with
/// per-class part vocabularies (<see cref="PartCatalog"/>): chairs (seat, back, legs, sometimes arms), tables
/// (top, legs), lamps (base, pole, shade), mugs (body, handle), each in several styles with varied proportions.
/// Points are sampled uniformly on the visible surface (area-weighted over the primitives; points hidden inside a
/// neighbouring primitive are dropped). Shape <c>i</c> depends only on (seed, i) and has class <c>i mod 4</c>, so
/// any run of consecutive indices is class-balanced.
/// </summary>
public sealed class PartShapeGenerator
{
    /// <summary>The seed of the collection.</summary>
    public int Seed { get; }
    /// <summary>Points per shape.</summary>
    public int PointCount { get; }

    /// <summary>A generator of shapes with <paramref name="points"/> points each.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> is below 16.</exception>
    public PartShapeGenerator(int seed, int points = 1024)
    {
        if (points < 16) throw new ArgumentOutOfRangeException(nameof(points), points, $"points must be at least 16, got {points}.");
        Seed = seed; PointCount = points;
    }

    /// <summary>Shape <paramref name="index"/> (class <c>index mod 4</c>).</summary>
    public PartShape Generate(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be non-negative, got {index}.");
        int cls = index % PartCatalog.ClassCount;
        using var u = new UniformSource(UniformSource.Mix(Seed, index));
        var parts = cls switch { 0 => Chair(u), 1 => Table(u), 2 => Lamp(u), _ => Mug(u) };
        return Sample(cls, index, parts, u);
    }

    /// <summary>Shapes <paramref name="start"/> .. start + count - 1.</summary>
    public PartShape[] Generate(int start, int count) =>
        Enumerable.Range(start, count).Select(i => Generate(i)).ToArray();

    /// <summary>The primitives and part ids of shape <paramref name="index"/> before sampling (unnormalised, metres).</summary>
    public IReadOnlyList<(Primitive Primitive, int Part)> Parts(int index)
    {
        using var u = new UniformSource(UniformSource.Mix(Seed, index));
        return (index % PartCatalog.ClassCount) switch { 0 => Chair(u), 1 => Table(u), 2 => Lamp(u), _ => Mug(u) };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    PartShape Sample(int cls, int index, List<(Primitive P, int Part)> parts, UniformSource u)
    {
        int n = PointCount;
        var cumulative = new double[parts.Count];
        double total = 0;
        for (int k = 0; k < parts.Count; k++) { total += parts[k].P.Area; cumulative[k] = total; }
        var pts = new Vec3[n];
        var partIds = new int[n];
        var primIds = new int[n];
        int accepted = 0, attempts = 0;
        while (accepted < n)
        {
            if (++attempts > 200 * n) throw new InvalidOperationException($"shape {index}: too many hidden samples (generator bug).");
            double t = u.Next() * total;
            int k = Array.BinarySearch(cumulative, t);
            k = k < 0 ? Math.Min(~k, parts.Count - 1) : k;
            var p = parts[k].P.Sample(u);
            bool hidden = false;
            for (int j = 0; j < parts.Count && !hidden; j++) hidden = j != k && parts[j].P.Contains(p);
            if (hidden) continue;
            pts[accepted] = p; partIds[accepted] = parts[k].Part; primIds[accepted] = k; accepted++;
        }
        // Normalise: bounding-box centre to the origin, farthest point at distance 1.
        Vec3 lo = pts[0], hi = pts[0];
        foreach (var p in pts)
        {
            lo = new(Math.Min(lo.X, p.X), Math.Min(lo.Y, p.Y), Math.Min(lo.Z, p.Z));
            hi = new(Math.Max(hi.X, p.X), Math.Max(hi.Y, p.Y), Math.Max(hi.Z, p.Z));
        }
        var centre = 0.5 * (lo + hi);
        double radius = pts.Max(p => (p - centre).Length);
        var xyz = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            var q = (pts[i] - centre) / radius;
            xyz[3 * i] = (float)q.X; xyz[3 * i + 1] = (float)q.Y; xyz[3 * i + 2] = (float)q.Z;
        }
        return new PartShape(cls, index, xyz, partIds, primIds);
    }

    static Vec3 V(double x, double y, double z) => new(x, y, z);
    static readonly Vec3 Up = new(0, 0, 1);

    static List<(Primitive, int)> Chair(UniformSource u)
    {
        int seat = PartCatalog.PartId("chair/seat"), back = PartCatalog.PartId("chair/back"),
            leg = PartCatalog.PartId("chair/leg"), arm = PartCatalog.PartId("chair/arm");
        var list = new List<(Primitive, int)>();
        double w = u.Range(0.40, 0.60), d = u.Range(0.38, 0.55), t = u.Range(0.03, 0.07), h = u.Range(0.38, 0.50);
        list.Add((new Box(w / 2, d / 2, t / 2) { Center = V(0, 0, h - t / 2) }, seat));
        double legTop = h - t;
        switch (u.Int(3))
        {
            case 0 or 1:
                bool round = u.Chance(0.5);
                double s = u.Range(0.02, 0.04), inset = u.Range(0, 0.04);
                foreach (var (sx, sy) in new[] { (-1, -1), (1, -1), (-1, 1), (1, 1) })
                {
                    var c = V(sx * (w / 2 - s - inset), sy * (d / 2 - s - inset), legTop / 2);
                    Primitive p = round ? Frustum.Cylinder(s, legTop / 2) with { Center = c } : new Box(s, s, legTop / 2) { Center = c };
                    list.Add((p, leg));
                }
                break;
            default: // office chair: a column on a star of feet
                double col = u.Range(0.025, 0.04), foot = u.Range(0.015, 0.025), reach = u.Range(0.22, 0.30);
                list.Add((Frustum.Cylinder(col, (legTop - foot) / 2) with { Center = V(0, 0, foot + (legTop - foot) / 2) }, leg));
                double phase = u.Range(0, 2 * Math.PI / 5);
                for (int k = 0; k < 5; k++)
                    list.Add((new Box(reach / 2, foot, foot) { Center = V(reach / 2, 0, foot) }.Rotated(Vec3.Zero, Up, phase + 2 * Math.PI * k / 5), leg));
                break;
        }
        double wb = w * u.Range(0.8, 1.0), tb = u.Range(0.02, 0.05), hb = u.Range(0.30, 0.55), tilt = u.Range(0, 0.3);
        var pivot = V(0, d / 2, h);
        if (u.Chance(0.6))
            list.Add((new Box(wb / 2, tb / 2, hb / 2) { Center = V(0, d / 2 - tb / 2, h + hb / 2) }.Rotated(pivot, V(1, 0, 0), -tilt), back));
        else
        {
            double post = u.Range(0.02, 0.035), rail = u.Range(0.05, 0.12);
            foreach (var sx in new[] { -1, 1 })
                list.Add((new Box(post, tb / 2, hb / 2) { Center = V(sx * (wb / 2 - post), d / 2 - tb / 2, h + hb / 2) }.Rotated(pivot, V(1, 0, 0), -tilt), back));
            list.Add((new Box(wb / 2, tb / 2, rail / 2) { Center = V(0, d / 2 - tb / 2, h + hb - rail / 2) }.Rotated(pivot, V(1, 0, 0), -tilt), back));
        }
        if (u.Chance(0.35))
        {
            double aw = u.Range(0.03, 0.05), ah = u.Range(0.15, 0.25), at = u.Range(0.025, 0.04), ad = d * u.Range(0.7, 0.9);
            foreach (var sx in new[] { -1, 1 })
            {
                double x = sx * (w / 2 + aw / 2);
                list.Add((new Box(aw / 2, ad / 2, at / 2) { Center = V(x, d / 2 - ad / 2, h + ah + at / 2) }, arm));
                list.Add((new Box(aw / 2, aw / 2, (ah + t) / 2) { Center = V(x, d / 2 - ad + aw / 2, h - t + (ah + t) / 2) }, arm));
            }
        }
        return list;
    }

    static List<(Primitive, int)> Table(UniformSource u)
    {
        int top = PartCatalog.PartId("table/top"), leg = PartCatalog.PartId("table/leg");
        var list = new List<(Primitive, int)>();
        double h = u.Range(0.60, 0.78), t = u.Range(0.03, 0.07);
        bool round = u.Chance(0.35);
        double wHalf, dHalf;
        if (round)
        {
            double r = u.Range(0.35, 0.6);
            wHalf = dHalf = r / Math.Sqrt(2);
            list.Add((Frustum.Cylinder(r, t / 2) with { Center = V(0, 0, h - t / 2) }, top));
        }
        else
        {
            wHalf = u.Range(0.4, 0.7); dHalf = u.Range(0.25, 0.45);
            list.Add((new Box(wHalf, dHalf, t / 2) { Center = V(0, 0, h - t / 2) }, top));
        }
        double legTop = h - t;
        int style = u.Int(round ? 2 : 3);
        if (style == 0)
        {
            bool cyl = u.Chance(0.5);
            double s = u.Range(0.025, 0.05), inset = u.Range(0, 0.08);
            foreach (var (sx, sy) in new[] { (-1, -1), (1, -1), (-1, 1), (1, 1) })
            {
                var c = V(sx * (wHalf - s - inset), sy * (dHalf - s - inset), legTop / 2);
                list.Add((cyl ? Frustum.Cylinder(s, legTop / 2) with { Center = c } : new Box(s, s, legTop / 2) { Center = c }, leg));
            }
        }
        else if (style == 1) // pedestal: column on a disc
        {
            double col = u.Range(0.04, 0.08), baseR = u.Range(0.2, 0.35), baseT = u.Range(0.02, 0.04);
            list.Add((Frustum.Cylinder(col, (legTop - baseT) / 2) with { Center = V(0, 0, baseT + (legTop - baseT) / 2) }, leg));
            list.Add((Frustum.Cylinder(baseR, baseT / 2) with { Center = V(0, 0, baseT / 2) }, leg));
        }
        else // trestle: two end slabs on feet
        {
            double slab = u.Range(0.03, 0.05), footT = u.Range(0.03, 0.05), inset = u.Range(0.05, 0.12), span = dHalf * u.Range(0.6, 0.9);
            foreach (var sx in new[] { -1, 1 })
            {
                double x = sx * (wHalf - inset);
                list.Add((new Box(slab / 2, span * 0.5, (legTop - footT) / 2) { Center = V(x, 0, footT + (legTop - footT) / 2) }, leg));
                list.Add((new Box(slab, span, footT / 2) { Center = V(x, 0, footT / 2) }, leg));
            }
        }
        return list;
    }

    static List<(Primitive, int)> Lamp(UniformSource u)
    {
        int bas = PartCatalog.PartId("lamp/base"), pole = PartCatalog.PartId("lamp/pole"), shade = PartCatalog.PartId("lamp/shade");
        var list = new List<(Primitive, int)>();
        double bt = u.Range(0.015, 0.04);
        if (u.Chance(0.7)) list.Add((Frustum.Cylinder(u.Range(0.08, 0.15), bt / 2) with { Center = V(0, 0, bt / 2) }, bas));
        else { double s = u.Range(0.07, 0.12); list.Add((new Box(s, s, bt / 2) { Center = V(0, 0, bt / 2) }, bas)); }
        double pr = u.Range(0.008, 0.018), length = u.Range(0.3, 0.6);
        var tip = V(0, 0, bt + length);
        list.Add((Frustum.Cylinder(pr, length / 2) with { Center = V(0, 0, bt + length / 2) }, pole));
        if (u.Chance(0.35)) // an arm bent forward at the top
        {
            double arm = u.Range(0.12, 0.25), angle = u.Range(0.6, 1.3);
            var dir = V(0, Math.Sin(angle), Math.Cos(angle));
            list.Add(((Frustum.Cylinder(pr, arm / 2) with { Center = V(0, 0, arm / 2) }).Rotated(Vec3.Zero, V(1, 0, 0), -angle).Moved(tip), pole));
            tip = tip + arm * dir;
        }
        double sh = u.Range(0.08, 0.18);
        switch (u.Int(3))
        {
            case 0: // cone shade, open at both ends
                double rb = u.Range(0.09, 0.17);
                list.Add((new Frustum(rb, rb * u.Range(0.35, 0.7), sh / 2, CapBottom: false, CapTop: false) { Center = tip + V(0, 0, sh * 0.2) }, shade));
                break;
            case 1: // dome, open below
                double r = u.Range(0.07, 0.13);
                list.Add((new Sphere(r, CutZ: 0) { Center = tip - V(0, 0, r * 0.3) }, shade));
                break;
            default: // drum, open at both ends
                double rd = u.Range(0.07, 0.13);
                list.Add((Frustum.Cylinder(rd, sh / 2, capBottom: false, capTop: false) with { Center = tip + V(0, 0, sh * 0.2) }, shade));
                break;
        }
        return list;
    }

    static List<(Primitive, int)> Mug(UniformSource u)
    {
        int body = PartCatalog.PartId("mug/body"), handle = PartCatalog.PartId("mug/handle");
        var list = new List<(Primitive, int)>();
        double rb = u.Range(0.035, 0.055), hb = u.Range(0.07, 0.12), rt = rb * u.Range(1.0, 1.15);
        list.Add((new Frustum(rb, rt, hb / 2, CapBottom: true, CapTop: false) { Center = V(0, 0, hb / 2) }, body));
        double zc = hb * u.Range(0.45, 0.6), wall = rb + (rt - rb) * zc / hb;
        if (u.Chance(0.7)) // round handle: half a torus in the xz plane
        {
            double ring = hb * u.Range(0.22, 0.35), tube = u.Range(0.005, 0.009);
            list.Add((new Torus(ring, tube, -Math.PI / 2, Math.PI / 2)
            {
                Center = V(wall - ring * u.Range(0.0, 0.3), 0, zc), AxisX = V(1, 0, 0), AxisY = V(0, 0, 1), AxisZ = V(0, -1, 0),
            }, handle));
        }
        else // square handle: two bars and an upright
        {
            double reach = u.Range(0.025, 0.04), span = hb * u.Range(0.5, 0.7), bar = u.Range(0.006, 0.01);
            foreach (var sz in new[] { -1, 1 })
                list.Add((new Box(reach / 2 + bar, bar, bar) { Center = V(wall + reach / 2 - bar, 0, zc + sz * span / 2) }, handle));
            list.Add((new Box(bar, bar, span / 2 + bar) { Center = V(wall + reach, 0, zc) }, handle));
        }
        return list;
    }
}
