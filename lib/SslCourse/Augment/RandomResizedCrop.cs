using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>Per-image crop boxes in image fractions: centre (Cx, Cy), width W and height H (all [N] float32, the box
/// inside [0, 1]^2), and Flip ([N] bool: mirrored left-right).</summary>
public sealed record CropParameters(Tensor Cx, Tensor Cy, Tensor W, Tensor H, Tensor Flip) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() { Cx.Dispose(); Cy.Dispose(); W.Dispose(); H.Dispose(); Flip.Dispose(); }
}

/// <summary>
/// Random resized crop with horizontal flip, every image its own box, done in one batched affine_grid/grid_sample
/// call (bilinear). The area fraction is drawn uniformly in <see cref="ScaleMin"/>..<see cref="ScaleMax"/> and the
/// aspect ratio log-uniformly in <see cref="RatioMin"/>..<see cref="RatioMax"/>; defaults are SimCLR's
/// (Chen et al., ICML 2020: scale 0.08-1, ratio 3/4-4/3, flip 0.5). A box wider or taller than the image is clamped
/// to the image side.
/// </summary>
public sealed class RandomResizedCrop : IViewTransform
{
    /// <summary>Output side in pixels.</summary>
    public int Size { get; }
    public double ScaleMin { get; }
    public double ScaleMax { get; }
    public double RatioMin { get; }
    public double RatioMax { get; }
    /// <summary>Probability of mirroring an image left-right.</summary>
    public double FlipProbability { get; }

    public RandomResizedCrop(int size, double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4.0, double ratioMax = 4.0 / 3.0, double flipProbability = 0.5)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive.");
        if (scaleMin <= 0 || scaleMin > scaleMax || scaleMax > 1) throw new ArgumentOutOfRangeException(nameof(scaleMin), (scaleMin, scaleMax), "need 0 < scaleMin <= scaleMax <= 1.");
        if (ratioMin <= 0 || ratioMin > ratioMax) throw new ArgumentOutOfRangeException(nameof(ratioMin), (ratioMin, ratioMax), "need 0 < ratioMin <= ratioMax.");
        ViewTransforms.CheckProbability(flipProbability, nameof(flipProbability));
        (Size, ScaleMin, ScaleMax, RatioMin, RatioMax, FlipProbability) = (size, scaleMin, scaleMax, ratioMin, ratioMax, flipProbability);
    }

    /// <summary>Draws the boxes of <paramref name="n"/> images (in the order Apply draws them).</summary>
    public CropParameters Sample(long n, Generator generator)
    {
        using var scope = NewDisposeScope();
        var area = ViewTransforms.Uniform(n, ScaleMin, ScaleMax, generator);
        var ratio = ViewTransforms.Uniform(n, Math.Log(RatioMin), Math.Log(RatioMax), generator).exp_();
        var w = (area * ratio).sqrt_().clamp_max_(1.0);                 // width / image width
        var h = (area / ratio).sqrt_().clamp_max_(1.0);                 // height / image height
        var cx = w / 2 + rand(n, generator: generator) * (1 - w);       // the box stays inside the image
        var cy = h / 2 + rand(n, generator: generator) * (1 - h);
        var flip = ViewTransforms.Bernoulli(n, FlipProbability, generator);
        return new CropParameters(cx.MoveToOuterDisposeScope(), cy.MoveToOuterDisposeScope(), w.MoveToOuterDisposeScope(),
            h.MoveToOuterDisposeScope(), flip.MoveToOuterDisposeScope());
    }

    /// <summary>[N, C, H, W] -> [N, C, Size, Size].</summary>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var p = Sample(images.shape[0], generator);
        return Apply(images, p);
    }

    /// <summary>Crops with given boxes: [N, C, H, W] -> [N, C, Size, Size].</summary>
    public Tensor Apply(Tensor images, CropParameters p)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        // affine_grid maps output coordinates in [-1, 1] to input coordinates: x_in = sx * x_out + tx
        var sign = where(p.Flip, full(n, -1f), ones(n));
        var zero = zeros(n);
        var theta = stack([
            stack([p.W * sign, zero, p.Cx * 2 - 1], 1),
            stack([zero, p.H, p.Cy * 2 - 1], 1)], 1);                   // [N, 2, 3]
        return Warp.Sample(images, theta, Size, Size).MoveToOuterDisposeScope();
    }
}

/// <summary>Rotation by a random angle per image (uniform in -MaxDegrees..MaxDegrees) about the centre, zeros outside,
/// in one batched affine_grid/grid_sample call.</summary>
public sealed class RandomRotation : IViewTransform
{
    /// <summary>Largest rotation in degrees.</summary>
    public double MaxDegrees { get; }

    public RandomRotation(double maxDegrees)
    {
        if (maxDegrees < 0 || maxDegrees > 180) throw new ArgumentOutOfRangeException(nameof(maxDegrees), maxDegrees, "maxDegrees must lie in 0..180.");
        MaxDegrees = maxDegrees;
    }

    /// <summary>The angles (degrees, [N]) Apply would draw.</summary>
    public Tensor Sample(long n, Generator generator) => ViewTransforms.Uniform(n, -MaxDegrees, MaxDegrees, generator);

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var angles = Sample(images.shape[0], generator);
        return Rotate(images, angles);
    }

    /// <summary>Rotates each image counter-clockwise (as displayed) by its angle in degrees: [N, C, H, W], [N] -> [N, C, H, W].</summary>
    public static Tensor Rotate(Tensor images, Tensor degrees)
    {
        using var scope = NewDisposeScope();
        var r = degrees.to_type(ScalarType.Float32) * (MathF.PI / 180f);
        var c = cos(r); var s = sin(r); var zero = zeros_like(r);
        // output pixel (x, y) samples input at R(-angle)(x, y); with y pointing down, a counter-clockwise turn on
        // screen is x_in = c x - s y, y_in = s x + c y
        var theta = stack([stack([c, -s, zero], 1), stack([s, c, zero], 1)], 1); // [N, 2, 3]
        return Warp.Sample(images, theta, images.shape[2], images.shape[3]).MoveToOuterDisposeScope();
    }
}

/// <summary>The one batched resampling call behind crops and rotations.</summary>
internal static class Warp
{
    /// <summary>images [N, C, H, W], theta [N, 2, 3] -> [N, C, outH, outW], bilinear, zeros outside, align_corners false.</summary>
    public static Tensor Sample(Tensor images, Tensor theta, long outH, long outW)
    {
        using var scope = NewDisposeScope();
        var grid = nn.functional.affine_grid(theta.to_type(images.dtype), [images.shape[0], images.shape[1], outH, outW], align_corners: false); // [N, oH, oW, 2]
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false).MoveToOuterDisposeScope();
    }
}
