using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// Short videos of striped sprites (the shapes of <see cref="AvClips"/>) gliding over a textured background and bouncing
/// off its edges, with the ground-truth label mask of every frame (0 = background, 1.. = sprites, later sprites drawn
/// over earlier ones). The material for video correspondence: label frame 0, propagate, compare with the truth.
/// A pure function of (seed, index).
/// </summary>
public static class SpriteVideos
{
    /// <summary>Frame height and width.</summary>
    public const int Size = 32;

    /// <summary>Video <paramref name="index"/>: frames [T, 3, 32, 32] in 0..1 and masks [T, 32, 32] (int64, 0..sprites).</summary>
    /// <param name="seed">Seed of the video set.</param>
    /// <param name="index">Which video of the set.</param>
    /// <param name="frames">Number of frames T (at least 1).</param>
    /// <param name="sprites">Number of sprites (1-4).</param>
    public static (Tensor Frames, Tensor Masks) Generate(int seed, long index, int frames = 8, int sprites = 2)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), frames, "frames must be at least 1.");
        if (sprites < 1 || sprites > 4) throw new ArgumentOutOfRangeException(nameof(sprites), sprites, "sprites must be in 1..4.");
        const int S = Size;
        var rng = new ClipRandom(seed, index, stream: 7);
        // Background: blotches of a few colours (a sum of random low-frequency waves), static over the clip.
        var bg = new float[3 * S * S];
        var ca = (rng.Uniform(0.1, 0.9), rng.Uniform(0.1, 0.9), rng.Uniform(0.1, 0.9));
        var cb = (rng.Uniform(0.1, 0.9), rng.Uniform(0.1, 0.9), rng.Uniform(0.1, 0.9));
        var waves = Enumerable.Range(0, 4).Select(_ => (fx: rng.Uniform(-0.5, 0.5), fy: rng.Uniform(-0.5, 0.5), ph: rng.Uniform(0, 2 * Math.PI))).ToArray();
        for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++)
            {
                double v = 0;
                foreach (var wv in waves) v += Math.Sin(wv.fx * x + wv.fy * y + wv.ph);
                double t = 0.5 + 0.25 * v / 2, n = 0.03 * rng.Normal();
                t = Math.Clamp(t, 0, 1);
                bg[y * S + x] = (float)(ca.Item1 + t * (cb.Item1 - ca.Item1) + n);
                bg[S * S + y * S + x] = (float)(ca.Item2 + t * (cb.Item2 - ca.Item2) + n);
                bg[2 * S * S + y * S + x] = (float)(ca.Item3 + t * (cb.Item3 - ca.Item3) + n);
            }
        // Sprites: kind, radius, two stripe colours, stripe direction and period, position and velocity.
        var sp = new (int kind, double r, double[] c1, double[] c2, double sx, double sy, double period, double x, double y, double vx, double vy)[sprites];
        for (int k = 0; k < sprites; k++)
        {
            double r = rng.Uniform(5.0, 7.5), a = rng.Uniform(0, 2 * Math.PI), speed = rng.Uniform(1.0, 2.2), sa = rng.Uniform(0, Math.PI);
            sp[k] = (rng.Int(AvClips.KindCount), r,
                     [rng.Uniform(), rng.Uniform(), rng.Uniform()], [rng.Uniform(), rng.Uniform(), rng.Uniform()],
                     Math.Cos(sa), Math.Sin(sa), rng.Uniform(2.5, 4.0),
                     rng.Uniform(r, S - r), rng.Uniform(r, S - r), speed * Math.Cos(a), speed * Math.Sin(a));
        }
        var video = new float[frames * 3 * S * S];
        var masks = new long[frames * S * S];
        for (int t = 0; t < frames; t++)
        {
            Array.Copy(bg, 0, video, t * 3 * S * S, 3 * S * S);
            for (int k = 0; k < sprites; k++)
            {
                var s = sp[k];
                for (int y = 0; y < S; y++)
                    for (int x = 0; x < S; x++)
                    {
                        double dx = (x + 0.5 - s.x) / s.r, dy = (y + 0.5 - s.y) / s.r;
                        if (!AvClips.Inside(s.kind, dx, dy)) continue;
                        // stripes move with the sprite (texture coordinates relative to its centre)
                        bool odd = Math.Floor((dx * s.r * s.sx + dy * s.r * s.sy) / s.period) % 2 == 0;
                        var c = odd ? s.c1 : s.c2;
                        for (int ch = 0; ch < 3; ch++) video[((t * 3 + ch) * S + y) * S + x] = (float)c[ch];
                        masks[(t * S + y) * S + x] = k + 1;
                    }
                // move and bounce
                double nx = s.x + s.vx, ny = s.y + s.vy;
                if (nx < s.r || nx > S - s.r) { s.vx = -s.vx; nx = s.x + s.vx; }
                if (ny < s.r || ny > S - s.r) { s.vy = -s.vy; ny = s.y + s.vy; }
                s.x = nx; s.y = ny;
                sp[k] = s;
            }
        }
        for (int i = 0; i < video.Length; i++) video[i] = Math.Clamp(video[i], 0f, 1f);
        return (tensor(video).reshape(frames, 3, S, S), tensor(masks).reshape(frames, S, S));
    }

    /// <summary>Videos start..start+count-1: frames [N, T, 3, 32, 32] and masks [N, T, 32, 32].</summary>
    public static (Tensor Frames, Tensor Masks) Batch(int seed, long start, int count, int frames = 8, int sprites = 2)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive.");
        using var scope = NewDisposeScope();
        var vs = new List<Tensor>(); var ms = new List<Tensor>();
        for (int i = 0; i < count; i++)
        {
            var (v, m) = Generate(seed, start + i, frames, sprites);
            vs.Add(v); ms.Add(m);
        }
        return (stack(vs).MoveToOuterDisposeScope(), stack(ms).MoveToOuterDisposeScope());
    }

    /// <summary>Integer masks to one-hot soft labels at a coarser grid: [T, H, W] -> [T, C, H/f, W/f] (average of each f x f block).</summary>
    public static Tensor MaskToLabels(Tensor masks, int classes, int factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be at least 1.");
        using var scope = NewDisposeScope();
        var onehot = nn.functional.one_hot(masks, classes).permute(0, 3, 1, 2).to_type(ScalarType.Float32);   // [T, C, H, W]
        return nn.functional.avg_pool2d(onehot, factor).MoveToOuterDisposeScope();
    }

    /// <summary>Soft labels on a grid back to integer masks at full resolution: [T, C, h, w] -> [T, h*f, w*f]
    /// (bilinear upsampling, then the most probable class).</summary>
    public static Tensor LabelsToMask(Tensor labels, int factor)
    {
        using var scope = NewDisposeScope();
        var up = nn.functional.interpolate(labels, scale_factor: new double[] { factor, factor }, mode: InterpolationMode.Bilinear, align_corners: false);
        return up.argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>A colour overlay of masks on frames for display: [T, 3, H, W] frames, [T, H, W] masks -> [T, 3, H, W].</summary>
    public static Tensor Overlay(Tensor frames, Tensor masks, double alpha = 0.55)
    {
        using var scope = NewDisposeScope();
        var palette = tensor(new float[] { 0, 0, 0, 1, 0.1f, 0.1f, 0.1f, 0.9f, 0.1f, 0.2f, 0.4f, 1, 1, 0.9f, 0 }).reshape(5, 3);   // [5, 3]
        var col = palette.index_select(0, masks.clamp(0, 4).flatten()).reshape(masks.shape[0], masks.shape[1], masks.shape[2], 3).permute(0, 3, 1, 2); // [T, 3, H, W]
        var isObj = masks.gt(0).unsqueeze(1).to_type(ScalarType.Float32);                 // [T, 1, H, W]
        var a = isObj.mul(alpha);
        return frames.mul(a.neg().add(1)).add(col.mul(a)).MoveToOuterDisposeScope();
    }
}
