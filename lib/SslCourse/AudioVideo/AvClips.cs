using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>One synthetic audio-visual clip: a frame showing one object and the half second of sound it makes.</summary>
/// <param name="Kind">The object's kind, 0..<see cref="AvClips.KindCount"/>-1 (see <see cref="AvClips.KindNames"/>).</param>
/// <param name="Image">The frame, [3, 32, 32] flattened channel-major, values in 0..1.</param>
/// <param name="Audio">The sound, <see cref="AvClips.AudioSamples"/> samples at <see cref="AvClips.SampleRate"/> Hz, roughly in -1..1.</param>
public sealed record AvClip(int Kind, float[] Image, float[] Audio);

/// <summary>
/// Synthetic audio-visual clips in which each kind of object makes its own kind of sound: a disc hums a steady tone,
/// a square a rising chirp, a triangle a falling chirp, a cross crackles in noise bursts, a ring clicks in a rhythm,
/// a diamond warbles (a harmonic tone with tremolo). Colour, size, position, background, clutter, pitch, rate and
/// loudness vary freely and the sound carries background noise and hum, so the only thing frame and sound share is
/// the object's kind: a network that must tell whether a sound belongs to a frame (audio-visual correspondence,
/// Arandjelović and Zisserman, ICCV 2017) has to learn shape, not colour. Every clip is a pure function of
/// (seed, index).
/// </summary>
public static class AvClips
{
    /// <summary>Audio sample rate in Hz.</summary>
    public const int SampleRate = 8000;
    /// <summary>Samples per clip (0.5 s).</summary>
    public const int AudioSamples = 4000;
    /// <summary>Frame height and width in pixels.</summary>
    public const int ImageSize = 32;
    /// <summary>Number of object kinds.</summary>
    public const int KindCount = 6;

    /// <summary>What each kind looks like.</summary>
    public static IReadOnlyList<string> KindNames { get; } = ["disc", "square", "triangle", "cross", "ring", "diamond"];
    /// <summary>What each kind sounds like.</summary>
    public static IReadOnlyList<string> SoundNames { get; } = ["tone", "rising chirp", "falling chirp", "noise bursts", "clicks", "warble"];

    /// <summary>Clip <paramref name="index"/> of the set with seed <paramref name="seed"/>; its kind is drawn from (seed, index).</summary>
    public static AvClip Generate(int seed, long index)
    {
        var rng = new ClipRandom(seed, index, stream: 0);
        return Generate(seed, index, rng.Int(KindCount));
    }

    /// <summary>Clip <paramref name="index"/> with its kind forced to <paramref name="kind"/> (everything else drawn from (seed, index)).</summary>
    public static AvClip Generate(int seed, long index, int kind)
    {
        if (kind < 0 || kind >= KindCount) throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind must be in 0..{KindCount - 1}.");
        var vis = new ClipRandom(seed, index, stream: 1);
        var aud = new ClipRandom(seed, index, stream: 2);
        return new AvClip(kind, RenderFrame(kind, ref vis), RenderSound(kind, ref aud));
    }

    /// <summary>Clips <paramref name="start"/>..start+count-1 as tensors: images [N, 3, 32, 32] in 0..1, audio [N, 4000], kinds [N] (int64).</summary>
    public static (Tensor Images, Tensor Audio, Tensor Kinds) Batch(int seed, long start, int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive.");
        int px = 3 * ImageSize * ImageSize;
        var img = new float[count * px];
        var snd = new float[count * AudioSamples];
        var kinds = new long[count];
        Parallel.For(0, count, i =>
        {
            var c = Generate(seed, start + i);
            Array.Copy(c.Image, 0, img, i * px, px);
            Array.Copy(c.Audio, 0, snd, i * AudioSamples, AudioSamples);
            kinds[i] = c.Kind;
        });
        return (tensor(img).reshape(count, 3, ImageSize, ImageSize), tensor(snd).reshape(count, AudioSamples), tensor(kinds));
    }

    // ---------------------------------------------------------------- frames

    /// <summary>True when the offset (dx, dy) from the centre, in units of the radius, lies inside the shape.</summary>
    internal static bool Inside(int kind, double dx, double dy) => kind switch
    {
        0 => dx * dx + dy * dy <= 1.0,
        1 => Math.Max(Math.Abs(dx), Math.Abs(dy)) <= 0.8,
        2 => dy <= 0.75 && dy >= -1.0 && Math.Abs(dx) <= (dy + 1.0) / 1.75,
        3 => (Math.Abs(dx) <= 0.32 && Math.Abs(dy) <= 1.0) || (Math.Abs(dy) <= 0.32 && Math.Abs(dx) <= 1.0),
        4 => dx * dx + dy * dy <= 1.0 && dx * dx + dy * dy >= 0.55 * 0.55,
        5 => Math.Abs(dx) + Math.Abs(dy) <= 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    static (double R, double G, double B) Hsv(double h, double s, double v)
    {
        h = (h % 1.0 + 1.0) % 1.0 * 6.0;
        int i = (int)h; double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        return i switch { 0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q) };
    }

    static double Luma((double R, double G, double B) c) => 0.299 * c.R + 0.587 * c.G + 0.114 * c.B;

    static float[] RenderFrame(int kind, ref ClipRandom rng)
    {
        const int S = ImageSize;
        var img = new float[3 * S * S];
        // Background: a gradient between two random colours plus fine noise.
        var c0 = Hsv(rng.Uniform(), rng.Uniform(0.1, 0.8), rng.Uniform(0.15, 0.9));
        var c1 = Hsv(rng.Uniform(), rng.Uniform(0.1, 0.8), rng.Uniform(0.15, 0.9));
        double angle = rng.Uniform(0, 2 * Math.PI), gx = Math.Cos(angle), gy = Math.Sin(angle);
        for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++)
            {
                double t = 0.5 + 0.5 * ((x - S / 2.0) * gx + (y - S / 2.0) * gy) / (S / 2.0);
                t = Math.Clamp(t, 0, 1);
                double n = 0.04 * rng.Normal();
                img[0 * S * S + y * S + x] = (float)(c0.R + t * (c1.R - c0.R) + n);
                img[1 * S * S + y * S + x] = (float)(c0.G + t * (c1.G - c0.G) + n);
                img[2 * S * S + y * S + x] = (float)(c0.B + t * (c1.B - c0.B) + n);
            }
        double bgLuma = 0.5 * (Luma(c0) + Luma(c1));
        // Clutter: 0-2 thin strokes in random colours.
        int strokes = rng.Int(3);
        for (int k = 0; k < strokes; k++)
        {
            var sc = Hsv(rng.Uniform(), rng.Uniform(0.2, 1), rng.Uniform(0.2, 1));
            double x0 = rng.Uniform(0, S), y0 = rng.Uniform(0, S), x1 = rng.Uniform(0, S), y1 = rng.Uniform(0, S);
            Paint(img, (x, y) => SegmentDistance(x, y, x0, y0, x1, y1) <= 0.7, sc, 0.0);
        }
        // The object: random colour (not tied to the kind) with contrast to the background, random size and place.
        (double R, double G, double B) oc;
        int tries = 0;
        do oc = Hsv(rng.Uniform(), rng.Uniform(0.3, 1), rng.Uniform(0.25, 1));
        while (Math.Abs(Luma(oc) - bgLuma) < 0.22 && ++tries < 50);
        double r = rng.Uniform(6.5, 11.0);
        double cx = rng.Uniform(r + 0.5, S - r - 0.5), cy = rng.Uniform(r + 0.5, S - r - 0.5);
        Paint(img, (x, y) => Inside(kind, (x - cx) / r, (y - cy) / r), oc, 0.05, ref rng);
        for (int i = 0; i < img.Length; i++) img[i] = Math.Clamp(img[i], 0f, 1f);
        return img;
    }

    static double SegmentDistance(double px, double py, double x0, double y0, double x1, double y1)
    {
        double vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.Clamp(((px - x0) * vx + (py - y0) * vy) / len2, 0, 1);
        double dx = px - (x0 + t * vx), dy = py - (y0 + t * vy);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    static void Paint(float[] img, Func<double, double, bool> inside, (double R, double G, double B) c, double noise)
    {
        var none = new ClipRandom(0, 0);
        Paint(img, inside, c, noise, ref none);
    }

    /// <summary>Paints colour c where <paramref name="inside"/> holds, with 2x2 supersampled coverage for soft edges.</summary>
    static void Paint(float[] img, Func<double, double, bool> inside, (double R, double G, double B) c, double noise, ref ClipRandom rng)
    {
        const int S = ImageSize;
        for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++)
            {
                int hits = 0;
                for (int sy = 0; sy < 2; sy++)
                    for (int sx = 0; sx < 2; sx++)
                        if (inside(x + 0.25 + 0.5 * sx, y + 0.25 + 0.5 * sy)) hits++;
                if (hits == 0) continue;
                double a = hits / 4.0, n = noise > 0 ? noise * rng.Normal() : 0;
                int i = y * S + x;
                img[i] = (float)((1 - a) * img[i] + a * (c.R + n));
                img[S * S + i] = (float)((1 - a) * img[S * S + i] + a * (c.G + n));
                img[2 * S * S + i] = (float)((1 - a) * img[2 * S * S + i] + a * (c.B + n));
            }
    }

    // ---------------------------------------------------------------- sounds

    static float[] RenderSound(int kind, ref ClipRandom rng)
    {
        const int T = AudioSamples;
        const double sr = SampleRate;
        var s = new double[T];
        double amp = rng.Uniform(0.25, 0.6);
        switch (kind)
        {
            case 0: // steady tone
            {
                double f = rng.Uniform(400, 1600), ph = rng.Uniform(0, 2 * Math.PI);
                for (int n = 0; n < T; n++) s[n] = Math.Sin(2 * Math.PI * f * n / sr + ph);
                break;
            }
            case 1: // rising chirp (exponential sweep)
            case 2: // falling chirp
            {
                double ratio = rng.Uniform(2.5, 4.0);
                double f0 = kind == 1 ? rng.Uniform(250, 700) : rng.Uniform(1200, 2800);
                double f1 = kind == 1 ? f0 * ratio : f0 / ratio;
                double dur = T / sr, k = Math.Log(f1 / f0) / dur, ph = 0;
                for (int n = 0; n < T; n++)
                {
                    double t = n / sr;
                    ph += 2 * Math.PI * f0 * Math.Exp(k * t) / sr;
                    s[n] = Math.Sin(ph);
                }
                break;
            }
            case 3: // noise bursts (high-passed white noise in 2-4 bursts)
            {
                int bursts = 2 + rng.Int(3);
                double prev = 0;
                var env = new double[T];
                for (int b = 0; b < bursts; b++)
                {
                    int len = (int)(rng.Uniform(0.04, 0.1) * sr), at = rng.Int(T - len);
                    for (int n = 0; n < len; n++) env[at + n] = Math.Max(env[at + n], Math.Sin(Math.PI * n / len));
                }
                for (int n = 0; n < T; n++)
                {
                    double w = rng.Normal();
                    s[n] = 0.7 * (w - prev) * env[n];
                    prev = w;
                }
                break;
            }
            case 4: // rhythmic clicks
            {
                double rate = rng.Uniform(6, 14), offset = rng.Uniform(0, 1.0 / rate);
                double fc = rng.Uniform(1500, 3200);
                for (double t0 = offset; t0 < T / sr; t0 += 1.0 / rate)
                {
                    int at = (int)(t0 * sr);
                    for (int n = 0; n < 60 && at + n < T; n++)
                        s[at + n] += Math.Exp(-n / 8.0) * (0.6 * Math.Sin(2 * Math.PI * fc * n / sr) + 0.6 * rng.Normal());
                }
                break;
            }
            case 5: // warble: harmonic tone with tremolo
            {
                double f = rng.Uniform(150, 320), trem = rng.Uniform(4, 9), ph = rng.Uniform(0, 2 * Math.PI);
                for (int n = 0; n < T; n++)
                {
                    double t = n / sr, v = 0;
                    for (int h = 1; h <= 5; h++) v += Math.Sin(2 * Math.PI * h * f * t) / h;
                    s[n] = 0.6 * v * (0.55 + 0.45 * Math.Sin(2 * Math.PI * trem * t + ph));
                }
                break;
            }
        }
        // 10 ms fades, loudness, then background: white noise and mains-like hum.
        int fade = (int)(0.01 * sr);
        for (int n = 0; n < fade; n++) { double g = (double)n / fade; s[n] *= g; s[T - 1 - n] *= g; }
        double noise = rng.Uniform(0.01, 0.08), hum = rng.Uniform(0, 0.12), fh = rng.Uniform(50, 120), phh = rng.Uniform(0, 2 * Math.PI);
        var outp = new float[T];
        for (int n = 0; n < T; n++)
            outp[n] = (float)(amp * s[n] + noise * rng.Normal() + hum * Math.Sin(2 * Math.PI * fh * n / sr + phh));
        return outp;
    }
}
