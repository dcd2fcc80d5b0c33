using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SslCourse.Data;

/// <summary>
/// Draws one image of <see cref="ToyObjects"/>: a textured background, clutter behind, the object, clutter and an
/// occluder in front, pixel noise. Every random choice comes from a <see cref="HashRng"/> seeded by (seed, index),
/// so images are independent of each other and of the order they are drawn in.
/// <para>The drawing methods (here and in <see cref="SdfCanvas"/>) are compiled fully optimised at their first call
/// (AggressiveOptimization): with tiered compilation the first thousands of images ran unoptimised vector code.</para>
/// </summary>
internal static unsafe class ToyObjectsRenderer
{
    public const int Classes = 10;
    public const int SubclassesPerClass = 2;

    /// <summary>The class of an index: classes cycle, so every run of 10 consecutive indices holds each class once.</summary>
    public static int ClassOf(long index) => (int)(index % Classes);
    /// <summary>The subclass of an index: alternates every 10 indices, so every run of 20 holds each subclass once.</summary>
    public static int SubclassOf(long index) => (int)(index / Classes % SubclassesPerClass);

    // the typical colours of each class's main part, as (r, g, b); the palettes overlap between classes on purpose
    // (red houses, cars, mushrooms, cups, balls and sails) so colour is a useful but unreliable cue
    internal static readonly Rgb[][] MainPalettes =
    [
        [new(0.72f, 0.28f, 0.20f), new(0.90f, 0.82f, 0.60f), new(0.80f, 0.85f, 0.90f)],            // house walls
        [new(0.18f, 0.55f, 0.20f), new(0.40f, 0.60f, 0.15f), new(0.10f, 0.40f, 0.22f), new(0.85f, 0.50f, 0.10f)], // tree canopy
        [new(0.85f, 0.12f, 0.10f), new(0.15f, 0.30f, 0.80f), new(0.95f, 0.80f, 0.10f), new(0.92f, 0.92f, 0.92f), new(0.20f, 0.60f, 0.30f)], // car body
        [new(0.85f, 0.12f, 0.10f), new(0.55f, 0.35f, 0.20f)],                                      // mushroom cap
        [new(0.93f, 0.93f, 0.90f), new(0.20f, 0.40f, 0.80f), new(0.20f, 0.60f, 0.60f), new(0.80f, 0.20f, 0.25f)], // cup
        [new(0.95f, 0.50f, 0.10f), new(0.95f, 0.85f, 0.20f), new(0.40f, 0.50f, 0.65f)],            // fish
        [new(0.85f, 0.15f, 0.15f), new(0.20f, 0.35f, 0.85f), new(0.25f, 0.65f, 0.25f), new(0.95f, 0.85f, 0.15f), new(0.55f, 0.25f, 0.70f)], // ball
        [new(0.98f, 0.82f, 0.15f), new(0.95f, 0.60f, 0.10f), new(1.00f, 0.95f, 0.50f)],            // star
        [new(0.95f, 0.55f, 0.70f), new(0.35f, 0.20f, 0.10f), new(0.95f, 0.93f, 0.90f)],            // donut icing
        [new(0.95f, 0.95f, 0.95f), new(0.85f, 0.20f, 0.15f), new(0.95f, 0.88f, 0.70f)],            // sail
    ];

    static readonly Rgb Black = new(0.06f, 0.06f, 0.07f), White = new(0.96f, 0.96f, 0.96f);

    /// <summary>Renders image <paramref name="index"/> into <paramref name="dst"/> (planar [3, size, size], 0..1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Render(float* dst, int size, ToyVariant variant, long seed, long index)
    {
        var rng = new HashRng(seed, index, (ulong)variant + 1);
        int cls = ClassOf(index), sub = SubclassOf(index);
        if (variant == ToyVariant.DomainShift)
        {
            // the shifted domain is rendered at half resolution and scaled up: softer edges, lost detail
            int half = Math.Max(8, size / 2);
            float* low = stackalloc float[3 * half * half];
            Compose(low, half, variant, ref rng, cls, sub);
            Upsample(low, half, dst, size);
        }
        else Compose(dst, size, variant, ref rng, cls, sub);
        AddNoise(dst, size, ref rng, variant == ToyVariant.DomainShift ? 0.06f : 0.035f);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Compose(float* img, int size, ToyVariant variant, ref HashRng rng, int cls, int sub)
    {
        Background(img, size, variant, ref rng);
        Span<Prim> prims = stackalloc Prim[24];
        int behind = rng.Int(3);
        for (int k = 0; k < behind; k++) Clutter(img, size, variant, ref rng, prims);

        bool fine = variant == ToyVariant.FineGrained;
        float scale = fine ? rng.Range(0.32f, 0.42f) : rng.Range(0.24f, 0.40f);
        float margin = scale * 0.75f;
        var at = new Placement(
            rng.Range(margin, 1 - margin), rng.Range(margin, 1 - margin), scale,
            rng.Range(-0.2f, 0.2f), // a tilt of at most ~11 degrees keeps the canonical upright orientation
            rng.Chance(0.5f));
        int n = Object(cls, sub, variant, ref rng, prims);
        SdfCanvas.Draw(img, size, at, prims[..n], 0.12f);

        if (rng.Chance(0.35f)) Clutter(img, size, variant, ref rng, prims);
        if (rng.Chance(0.25f)) Occluder(img, size, at, variant, ref rng, prims);
    }

    /// <summary>Picks one of <paramref name="palette"/> and varies it (brightness and a little per channel); the shifted
    /// domain turns the hue and lowers the saturation.</summary>
    static Rgb Pick(Rgb[] palette, ToyVariant variant, ref HashRng rng, float jitter = 0.07f)
    {
        var c = palette[rng.Int(palette.Length)];
        float k = rng.Range(0.85f, 1.1f);
        c = new Rgb(Clamp(c.R * k + rng.Range(-jitter, jitter)), Clamp(c.G * k + rng.Range(-jitter, jitter)), Clamp(c.B * k + rng.Range(-jitter, jitter)));
        return variant == ToyVariant.DomainShift ? Shift(c) : c;
    }

    static Rgb Fixed(Rgb c, ToyVariant variant, ref HashRng rng)
    {
        float k = rng.Range(0.9f, 1.08f);
        c = new Rgb(Clamp(c.R * k), Clamp(c.G * k), Clamp(c.B * k));
        return variant == ToyVariant.DomainShift ? Shift(c) : c;
    }

    /// <summary>The shifted domain's palette: hue turned by 45 degrees, saturation times 0.65.</summary>
    static Rgb Shift(Rgb c)
    {
        Colour.RgbToHsv(c.R, c.G, c.B, out float h, out float s, out float v);
        Colour.HsvToRgb((h + 0.125f) % 1f, s * 0.65f, v, out float r, out float g, out float b);
        return new Rgb(r, g, b);
    }

    static float Clamp(float x) => x < 0 ? 0 : x > 1 ? 1 : x;

    static Rgb RandomColour(ref HashRng rng, float sLo, float sHi, float vLo, float vHi)
    {
        Colour.HsvToRgb(rng.Float(), rng.Range(sLo, sHi), rng.Range(vLo, vHi), out float r, out float g, out float b);
        return new Rgb(r, g, b);
    }

    /// <summary>The object of class <paramref name="cls"/> in its own frame (v downwards, inside [-1, 1]^2), as
    /// shapes drawn in order; <paramref name="sub"/> selects the subclass's small detail.</summary>
    static int Object(int cls, int sub, ToyVariant variant, ref HashRng rng, Span<Prim> p)
    {
        int n = 0;
        var main = Pick(MainPalettes[cls], variant, ref rng);
        switch (cls)
        {
            case 0: // house: walls, roof, door, window; subclass 1 has a chimney
            {
                var roof = Pick([new(0.50f, 0.12f, 0.10f), new(0.40f, 0.25f, 0.12f), new(0.30f, 0.32f, 0.40f)], variant, ref rng);
                if (sub == 1) p[n++] = Prim.Box(0.45f, -0.62f, 0.09f, 0.22f, roof * 0.8f);
                p[n++] = Prim.Box(0, 0.35f, 0.68f, 0.55f, main);
                p[n++] = Prim.Polygon(roof, -0.9f, -0.18f, 0.9f, -0.18f, 0f, -0.95f);
                p[n++] = Prim.Box(0.28f, 0.62f, 0.15f, 0.28f, Fixed(new(0.30f, 0.18f, 0.10f), variant, ref rng));
                p[n++] = Prim.Box(-0.32f, 0.22f, 0.17f, 0.15f, Fixed(new(0.65f, 0.82f, 0.95f), variant, ref rng));
                break;
            }
            case 1: // tree: trunk and a round or pointed crown; subclass 1 bears red fruit
            {
                p[n++] = Prim.Box(0, 0.55f, 0.13f, 0.42f, Fixed(new(0.42f, 0.27f, 0.12f), variant, ref rng));
                if (rng.Chance(0.5f)) p[n++] = Prim.Ellipse(0, -0.25f, 0.68f, 0.62f, main);
                else p[n++] = Prim.Polygon(main, -0.72f, 0.32f, 0.72f, 0.32f, 0f, -0.98f);
                if (sub == 1)
                {
                    var fruit = Fixed(new(0.90f, 0.10f, 0.10f), variant, ref rng);
                    p[n++] = Prim.Circle(-0.25f, -0.15f, 0.1f, fruit);
                    p[n++] = Prim.Circle(0.22f, 0.05f, 0.1f, fruit);
                    p[n++] = Prim.Circle(0.05f, -0.45f, 0.1f, fruit);
                }
                break;
            }
            case 2: // car: body, cabin with window, two wheels; subclass 1 has a headlight
            {
                p[n++] = Prim.Polygon(main, -0.5f, -0.05f, 0.42f, -0.05f, 0.3f, -0.45f, -0.38f, -0.45f);
                p[n++] = Prim.Polygon(Fixed(new(0.60f, 0.80f, 0.95f), variant, ref rng), -0.38f, -0.08f, 0.3f, -0.08f, 0.22f, -0.36f, -0.3f, -0.36f);
                p[n++] = Prim.Box(0, 0.18f, 0.92f, 0.24f, main);
                var tyre = Fixed(Black, variant, ref rng);
                p[n++] = Prim.Circle(-0.55f, 0.42f, 0.22f, tyre);
                p[n++] = Prim.Circle(0.55f, 0.42f, 0.22f, tyre);
                var hub = Fixed(new(0.7f, 0.7f, 0.72f), variant, ref rng);
                p[n++] = Prim.Circle(-0.55f, 0.42f, 0.09f, hub);
                p[n++] = Prim.Circle(0.55f, 0.42f, 0.09f, hub);
                if (sub == 1) p[n++] = Prim.Circle(-0.84f, 0.08f, 0.09f, Fixed(new(1f, 0.95f, 0.4f), variant, ref rng));
                break;
            }
            case 3: // mushroom: stem and a domed cap; subclass 1 has white spots
            {
                p[n++] = Prim.Box(0, 0.45f, 0.2f, 0.48f, Fixed(new(0.92f, 0.88f, 0.75f), variant, ref rng));
                p[n++] = Prim.HalfDisc(0, 0.08f, 0.85f, main);
                if (sub == 1)
                {
                    var spot = Fixed(White, variant, ref rng);
                    p[n++] = Prim.Circle(-0.4f, -0.2f, 0.12f, spot);
                    p[n++] = Prim.Circle(0.1f, -0.45f, 0.12f, spot);
                    p[n++] = Prim.Circle(0.45f, -0.12f, 0.1f, spot);
                }
                break;
            }
            case 4: // cup on a saucer, handle on one side; subclass 1 has a band round the cup
            {
                p[n++] = Prim.Ring(0.55f, 0.05f, 0.26f, 0.08f, main * 0.9f);
                p[n++] = Prim.Polygon(main, -0.6f, -0.55f, 0.6f, -0.55f, 0.42f, 0.55f, -0.42f, 0.55f);
                p[n++] = Prim.Ellipse(0, 0.65f, 0.9f, 0.14f, Fixed(new(0.85f, 0.85f, 0.82f), variant, ref rng));
                if (sub == 1) p[n++] = Prim.Polygon(Fixed(new(0.9f, 0.75f, 0.2f), variant, ref rng), -0.55f, -0.2f, 0.55f, -0.2f, 0.53f, -0.05f, -0.53f, -0.05f);
                break;
            }
            case 5: // fish: body, tail, dorsal fin, eye; subclass 1 has a dark stripe
            {
                p[n++] = Prim.Polygon(main * 0.85f, 0.55f, 0f, 0.98f, -0.5f, 0.98f, 0.5f);
                p[n++] = Prim.Polygon(main * 0.8f, -0.2f, -0.3f, 0.3f, -0.3f, 0f, -0.62f);
                p[n++] = Prim.Ellipse(-0.1f, 0, 0.72f, 0.4f, main);
                if (sub == 1) p[n++] = Prim.Box(0.05f, 0, 0.07f, 0.36f, main * 0.45f);
                p[n++] = Prim.Circle(-0.5f, -0.08f, 0.08f, Fixed(Black, variant, ref rng));
                break;
            }
            case 6: // ball: a disc with a highlight (nearly symmetric under rotation); subclass 1 has three finger holes
            {
                p[n++] = Prim.Circle(0, 0, 0.8f, main);
                p[n++] = Prim.Circle(-0.32f, -0.35f, 0.16f, new(Math.Min(1, main.R + 0.35f), Math.Min(1, main.G + 0.35f), Math.Min(1, main.B + 0.35f)));
                if (sub == 1)
                {
                    var hole = main * 0.3f;
                    p[n++] = Prim.Circle(0.25f, 0.05f, 0.08f, hole);
                    p[n++] = Prim.Circle(0.42f, 0.2f, 0.08f, hole);
                    p[n++] = Prim.Circle(0.2f, 0.3f, 0.08f, hole);
                }
                break;
            }
            case 7: // star with five points, one up (nearly symmetric); subclass 1 has a dot in the middle
            {
                p[n++] = Prim.Star(0, 0.05f, 0.95f, 0.42f, main);
                if (sub == 1) p[n++] = Prim.Circle(0, 0.05f, 0.16f, main * 0.55f);
                break;
            }
            case 8: // donut seen from above (symmetric): dough ring, icing; subclass 1 has sprinkles
            {
                p[n++] = Prim.Ring(0, 0, 0.55f, 0.33f, Fixed(new(0.80f, 0.58f, 0.32f), variant, ref rng));
                p[n++] = Prim.Ring(0, 0, 0.55f, 0.24f, main);
                if (sub == 1)
                {
                    for (int k = 0; k < 5; k++)
                    {
                        float a = k * 1.2566f + 0.3f;
                        p[n++] = Prim.Circle(0.55f * MathF.Cos(a), 0.55f * MathF.Sin(a), 0.06f, RandomColour(ref rng, 0.7f, 1f, 0.8f, 1f));
                    }
                }
                break;
            }
            default: // sailboat: hull, mast, sail; subclass 1 flies a flag
            {
                var hull = Pick([new(0.50f, 0.30f, 0.15f), new(0.15f, 0.20f, 0.45f)], variant, ref rng);
                p[n++] = Prim.Box(0.02f, -0.1f, 0.04f, 0.62f, Fixed(new(0.35f, 0.22f, 0.1f), variant, ref rng));
                p[n++] = Prim.Polygon(main, 0.08f, -0.82f, 0.08f, 0.35f, 0.78f, 0.35f);
                p[n++] = Prim.Polygon(main * 0.92f, -0.04f, -0.6f, -0.04f, 0.35f, -0.55f, 0.35f);
                p[n++] = Prim.Polygon(hull, -0.88f, 0.42f, 0.88f, 0.42f, 0.6f, 0.78f, -0.6f, 0.78f);
                if (sub == 1) p[n++] = Prim.Polygon(Fixed(new(0.9f, 0.1f, 0.1f), variant, ref rng), 0.06f, -0.72f, 0.06f, -0.92f, 0.3f, -0.82f);
                break;
            }
        }
        return n;
    }

    /// <summary>A small random shape (disc, box or triangle) somewhere in the image.</summary>
    static void Clutter(float* img, int size, ToyVariant variant, ref HashRng rng, Span<Prim> p)
    {
        var colour = RandomColour(ref rng, 0.2f, 0.9f, 0.3f, 1f);
        if (variant == ToyVariant.DomainShift) colour = Shift(colour);
        p[0] = rng.Int(3) switch
        {
            0 => Prim.Circle(0, 0, 0.8f, colour),
            1 => Prim.Box(0, 0, rng.Range(0.3f, 0.9f), rng.Range(0.3f, 0.9f), colour),
            _ => Prim.Polygon(colour, -0.9f, 0.7f, 0.9f, 0.7f, rng.Range(-0.9f, 0.9f), -0.9f),
        };
        var at = new Placement(rng.Float(), rng.Float(), rng.Range(0.05f, 0.12f), rng.Range(0, 6.3f), false);
        SdfCanvas.Draw(img, size, at, p[..1], 0);
    }

    /// <summary>A bar over part of the object (a branch, a pole): partial occlusion.</summary>
    static void Occluder(float* img, int size, in Placement obj, ToyVariant variant, ref HashRng rng, Span<Prim> p)
    {
        var colour = RandomColour(ref rng, 0.1f, 0.6f, 0.2f, 0.8f);
        if (variant == ToyVariant.DomainShift) colour = Shift(colour);
        p[0] = Prim.Box(0, 0, 1f, rng.Range(0.08f, 0.18f), colour);
        float angle = rng.Range(0, MathF.PI);
        // through a point well off the object's centre, so that most of the object stays visible
        float off = obj.Scale * rng.Range(0.45f, 0.8f), dir = rng.Range(0, 6.3f);
        var at = new Placement(obj.Cx + off * MathF.Cos(dir), obj.Cy + off * MathF.Sin(dir), obj.Scale * 1.2f, angle, false);
        SdfCanvas.Draw(img, size, at, p[..1], 0);
    }

    /// <summary>Fills the image with a texture: gradients, stripes, checks and waves in the standard domain;
    /// dots, rings and grain in the shifted domain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Background(float* img, int size, ToyVariant variant, ref HashRng rng)
    {
        bool shifted = variant == ToyVariant.DomainShift;
        var a = shifted ? RandomColour(ref rng, 0.05f, 0.35f, 0.1f, 0.45f) : RandomColour(ref rng, 0.08f, 0.45f, 0.4f, 0.95f);
        var b = shifted ? RandomColour(ref rng, 0.05f, 0.5f, 0.25f, 0.7f) : a.Lerp(RandomColour(ref rng, 0.08f, 0.5f, 0.35f, 0.95f), rng.Range(0.3f, 0.8f));
        int kind = rng.Int(4);
        float angle = rng.Range(0, MathF.PI), ca = MathF.Cos(angle), sa = MathF.Sin(angle);
        float freq = rng.Range(2.5f, 7f) * 2f * MathF.PI, phase = rng.Range(0, 6.3f);
        float f2 = rng.Range(1.5f, 5f) * 2f * MathF.PI, p2 = rng.Range(0, 6.3f), cx = rng.Float(), cy = rng.Float();
        uint grainSeed = (uint)rng.NextULong();
        int plane = size * size;
        // the standard textures are separable: t(x, y) = ax[x] * ay[y] + bx[x] * by[y] + cx[x] + cy[y]
        Span<float> ax = stackalloc float[size], ay = stackalloc float[size], bx = stackalloc float[size], by = stackalloc float[size];
        Span<float> ox = stackalloc float[size], oy = stackalloc float[size];
        if (!shifted)
        {
            for (int k = 0; k < size; k++)
            {
                float f = (k + 0.5f) / size;
                switch (kind)
                {
                    case 0: // gradient along a random direction
                        ox[k] = f * ca; oy[k] = f * sa; break;
                    case 1: // stripes: 0.5 + 0.5 sin(freq (x ca + y sa) + phase), expanded with the angle-sum identity
                        ax[k] = 0.5f * MathF.Sin(freq * f * ca + phase); ay[k] = MathF.Cos(freq * f * sa);
                        bx[k] = 0.5f * MathF.Cos(freq * f * ca + phase); by[k] = MathF.Sin(freq * f * sa);
                        ox[k] = 0.5f; break;
                    case 2: // checks: +-0.35 by the parity of the cell in x times the parity in y
                        ax[k] = ((int)MathF.Floor(f * freq / 6f + phase) & 1) == 0 ? 0.35f : -0.35f;
                        ay[k] = ((int)MathF.Floor(f * freq / 6f) & 1) == 0 ? 1f : -1f;
                        ox[k] = 0.5f; break;
                    default: // waves: a sine across plus a sine down
                        ox[k] = 0.5f + 0.25f * MathF.Sin(freq * f + phase); oy[k] = 0.25f * MathF.Sin(f2 * f + p2); break;
                }
            }
        }
        if (!shifted)
        {
            for (int y = 0; y < size; y++) Blend(img + y * size, plane, size, a, b, ax, ay[y], bx, by[y], ox, oy[y]);
            return;
        }
        for (int y = 0; y < size; y++)
        {
            float fy = (y + 0.5f) / size;
            for (int x = 0; x < size; x++)
            {
                float fx = (x + 0.5f) / size, dx = fx - cx, dy = fy - cy;
                float t = kind switch
                {
                    0 => (HashRng.Hash32(grainSeed ^ (uint)(y * 977 + x)) & 1023) < 90 ? 1f : 0f, // sparse dots
                    1 => 0.5f + 0.5f * MathF.Sin(freq * MathF.Sqrt(dx * dx + dy * dy) + phase),     // rings
                    2 => (HashRng.Hash32(grainSeed ^ (uint)(y * 977 + x)) & 1023) / 1023f,        // grain
                    _ => 0.5f + 0.5f * MathF.Sin(freq * fx * fy + phase),                          // hyperbolic waves
                };
                int i = y * size + x;
                img[i] = a.R + (b.R - a.R) * t;
                img[plane + i] = a.G + (b.G - a.G) * t;
                img[2 * plane + i] = a.B + (b.B - a.B) * t;
            }
        }
    }

    /// <summary>One row of a separable texture: t = ax[x] * ay + bx[x] * by + ox[x] + oy, colour a + (b - a) t
    /// written to the three planes at <paramref name="row"/>; eight pixels at a time where the CPU allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Blend(float* row, int plane, int size, Rgb a, Rgb b, ReadOnlySpan<float> ax, float ay,
        ReadOnlySpan<float> bx, float by, ReadOnlySpan<float> ox, float oy)
    {
        float dr = b.R - a.R, dg = b.G - a.G, db = b.B - a.B;
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> ar = Vector256.Create(a.R), ag = Vector256.Create(a.G), ab = Vector256.Create(a.B), oyv = Vector256.Create(oy);
            for (; x <= size - 8; x += 8)
            {
                var t = Vector256.Create(ax[x..]) * ay + Vector256.Create(bx[x..]) * by + Vector256.Create(ox[x..]) + oyv;
                (ar + t * dr).Store(row + x);
                (ag + t * dg).Store(row + plane + x);
                (ab + t * db).Store(row + 2 * plane + x);
            }
        }
        for (; x < size; x++)
        {
            float t = ax[x] * ay + bx[x] * by + ox[x] + oy;
            row[x] = a.R + dr * t;
            row[plane + x] = a.G + dg * t;
            row[2 * plane + x] = a.B + db * t;
        }
    }

    /// <summary>Adds uniform noise in [-amplitude, amplitude] from a per-pixel hash and clamps to 0..1; eight pixels
    /// at a time where the CPU has 256-bit vectors (the same operations in the same order, so the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AddNoise(float* img, int size, ref HashRng rng, float amplitude)
    {
        uint s = (uint)rng.NextULong();
        int n = 3 * size * size, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lanes = Vector256.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
            Vector256<float> half = Vector256.Create(0.5f), one = Vector256<float>.One;
            for (; i <= n - 8; i += 8)
            {
                var bits = HashRng.Hash32(Vector256.Create(s + (uint)i) + lanes) & Vector256.Create(0xFFFFu);
                var e = (Vector256.ConvertToSingle(bits.AsInt32()) / 65535f - half) * 2f * amplitude;
                Vector256.Min(Vector256.Max(Vector256.Load(img + i) + e, Vector256<float>.Zero), one).Store(img + i);
            }
        }
        for (; i < n; i++)
        {
            float e = ((HashRng.Hash32(s + (uint)i) & 0xFFFF) / 65535f - 0.5f) * 2f * amplitude;
            float v = img[i] + e;
            img[i] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
    }

    /// <summary>Bilinear 2x (or any factor) upsampling of a planar [3, n, n] image into [3, size, size].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Upsample(float* src, int n, float* dst, int size)
    {
        // the source columns and their weights are the same in every row and channel
        int* left = stackalloc int[size], right = stackalloc int[size];
        float* weight = stackalloc float[size];
        for (int x = 0; x < size; x++)
        {
            float sx = Math.Clamp((x + 0.5f) * n / size - 0.5f, 0, n - 1);
            left[x] = (int)sx; right[x] = Math.Min(left[x] + 1, n - 1);
            weight[x] = sx - left[x];
        }
        for (int c = 0; c < 3; c++)
        {
            float* s = src + c * n * n, d = dst + c * size * size;
            for (int y = 0; y < size; y++)
            {
                float sy = Math.Clamp((y + 0.5f) * n / size - 0.5f, 0, n - 1);
                int y0 = (int)sy, y1 = Math.Min(y0 + 1, n - 1);
                float wy = sy - y0;
                float* r0 = s + y0 * n, r1 = s + y1 * n;
                for (int x = 0; x < size; x++)
                {
                    int x0 = left[x], x1 = right[x];
                    float wx = weight[x];
                    float top = r0[x0] + (r0[x1] - r0[x0]) * wx;
                    float bottom = r1[x0] + (r1[x1] - r1[x0]) * wx;
                    d[y * size + x] = top + (bottom - top) * wy;
                }
            }
        }
    }
}
