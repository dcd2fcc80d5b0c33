using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// FixMatch's weak augmentation (Sohn et al., NeurIPS 2020, section 2.3): a horizontal flip with probability
/// <see cref="FlipProbability"/> and a translation by up to <see cref="MaxFraction"/> of the side (12.5%) in each
/// direction, whole pixels, the image mirrored about its border where the shift uncovers it (symmetric padding: the first
/// pixel beyond the edge repeats the edge pixel; the official code pads with 'reflect', which skips the edge pixel).
/// Every image draws its own shift and flip; all images move in one batched grid_sample (an integer shift samples pixel
/// centres exactly).
/// </summary>
public sealed class RandomTranslate : IViewTransform
{
    /// <summary>The largest shift as a fraction of the side, in [0, 0.5].</summary>
    public double MaxFraction { get; }
    /// <summary>Probability of mirroring an image left-right.</summary>
    public double FlipProbability { get; }

    /// <summary>Checks the settings.</summary>
    public RandomTranslate(double maxFraction = 0.125, double flipProbability = 0.5)
    {
        if (!(maxFraction >= 0 && maxFraction <= 0.5)) throw new ArgumentOutOfRangeException(nameof(maxFraction), maxFraction, "maxFraction must lie in [0, 0.5].");
        ViewTransforms.CheckProbability(flipProbability, nameof(flipProbability));
        (MaxFraction, FlipProbability) = (maxFraction, flipProbability);
    }

    /// <summary>The largest shift in pixels for a side of <paramref name="side"/>.</summary>
    public int MaxShift(long side) => (int)Math.Round(MaxFraction * side);

    /// <summary>Per-image shifts in pixels (dx, dy; [N] int64 in -max..max) and flips ([N] bool), in the order Apply draws them.</summary>
    public (Tensor Dx, Tensor Dy, Tensor Flip) Sample(long n, long height, long width, Generator generator)
    {
        int mx = MaxShift(width), my = MaxShift(height);
        var dx = randint(-mx, mx + 1, [n], generator: generator);
        var dy = randint(-my, my + 1, [n], generator: generator);
        return (dx, dy, ViewTransforms.Bernoulli(n, FlipProbability, generator));
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        var (dx, dy, flip) = Sample(images.shape[0], images.shape[2], images.shape[3], generator);
        return Apply(images, dx, dy, flip).MoveToOuterDisposeScope();
    }

    /// <summary>Flips where <paramref name="flip"/>, then moves each image by (dx, dy) pixels: output pixel (y, x) is the
    /// flipped input's pixel (y - dy, x - dx), mirrored about the borders. [N, C, H, W] -> [N, C, H, W].</summary>
    public Tensor Apply(Tensor images, Tensor dx, Tensor dy, Tensor flip)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        var sign = where(flip, full(n, -1f), ones(n));
        var zero = zeros(n);
        // affine_grid (align_corners false): x_in = sign * (x_out - 2 dx / W) in [-1, 1]; one pixel is 2 / W
        var theta = stack([
            stack([sign, zero, -sign * 2f * dx.to_type(ScalarType.Float32) / w], 1),
            stack([zero, ones(n), -2f * dy.to_type(ScalarType.Float32) / h], 1)], 1);   // [N, 2, 3]
        var grid = nn.functional.affine_grid(theta.to_type(images.dtype), [n, images.shape[1], h, w], align_corners: false); // [N, H, W, 2]
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Reflection, align_corners: false)
            .MoveToOuterDisposeScope();
    }
}
