using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// A planted stand-in for the chromatic aberration that Doersch, Gupta and Efros (ICCV 2015) found their context
/// network exploiting: lenses focus colours differently, so green shifts against magenta more and more towards the
/// image's edges, and a patch's colour fringes tell where in the frame it was taken. Here the cue is a tint along the
/// green-magenta axis d = (1, -2, 1)/sqrt(6) whose strength grows with the squared distance from the image centre,
/// <c>x + s r^2 d</c> (r = 1 at the corners): its level says how far a patch is from the centre and its gradient in
/// which direction, so two patches' tints reveal their relative position without any look at the content.
/// Their remedies were to drop colour or to project out the green-magenta axis (<see cref="ProjectOut"/>).
/// </summary>
public static class ChromaticCue
{
    /// <summary>The green-magenta axis (1, -2, 1)/sqrt(6): magenta positive, green negative, orthogonal to grey.</summary>
    public static IReadOnlyList<float> GreenMagenta { get; } = [(float)(1 / Math.Sqrt(6)), (float)(-2 / Math.Sqrt(6)), (float)(1 / Math.Sqrt(6))];

    /// <summary>Adds the cue: images [N, 3, H, W] -> [N, 3, H, W], <c>x + strength * r^2 * d</c> with r the distance of
    /// the pixel centre from the image centre divided by the centre-to-corner-pixel distance. Not clamped: values may
    /// leave 0..1 a little (a display clamps them).</summary>
    public static Tensor Plant(Tensor images, double strength = 0.3)
    {
        Check(images);
        if (!(strength >= 0)) throw new ArgumentOutOfRangeException(nameof(strength), strength, "strength must be >= 0.");
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        var y = arange(h, dtype: ScalarType.Float32) - (h - 1) / 2.0;              // [H]
        var x = arange(w, dtype: ScalarType.Float32) - (w - 1) / 2.0;              // [W]
        double corner = Math.Pow((h - 1) / 2.0, 2) + Math.Pow((w - 1) / 2.0, 2);
        var r2 = (y.unsqueeze(1).pow(2) + x.unsqueeze(0).pow(2)) / Math.Max(corner, 1e-12); // [H, W]
        var d = tensor(GreenMagenta.ToArray()).view(1, 3, 1, 1);                    // [1, 3, 1, 1]
        return (images + (strength * r2).to_type(images.dtype) * d.to_type(images.dtype)).MoveToOuterDisposeScope(); // [N, 3, H, W]
    }

    /// <summary>Removes every pixel's component along <paramref name="direction"/> (unit length after normalising;
    /// the green-magenta axis by default): <c>x - (x . d) d</c>, [N, 3, H, W] -> [N, 3, H, W].</summary>
    public static Tensor ProjectOut(Tensor images, IReadOnlyList<float>? direction = null)
    {
        Check(images);
        var dir = (direction ?? GreenMagenta).ToArray();
        if (dir.Length != 3) throw new ArgumentException($"direction must have 3 components; got {dir.Length}.", nameof(direction));
        double norm = Math.Sqrt(dir.Sum(v => (double)v * v));
        if (!(norm > 0)) throw new ArgumentException("direction must not be zero.", nameof(direction));
        using var scope = NewDisposeScope();
        var d = (tensor(dir) / norm).to_type(images.dtype).view(1, 3, 1, 1);        // [1, 3, 1, 1] unit
        var along = (images * d).sum(1, keepdim: true);                             // [N, 1, H, W]
        return (images - along * d).MoveToOuterDisposeScope();
    }

    static void Check(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"images must be [N, 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
    }
}
