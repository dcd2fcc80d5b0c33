using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// Cutout (DeVries and Taylor, arXiv 2017, "Improved Regularization of Convolutional Neural Networks with Cutout"): a
/// square of side <see cref="SizeFraction"/> x the image side, centred on a pixel drawn uniformly per image, is filled
/// with <see cref="Fill"/>; the part of the square outside the image is dropped, so a square near a border covers less.
/// FixMatch (Sohn et al., NeurIPS 2020) ends its strong augmentation with it (side up to half the image, gray fill).
/// </summary>
public sealed class Cutout : IViewTransform
{
    /// <summary>The square's side as a fraction of the image's shorter side (0..1].</summary>
    public double SizeFraction { get; }
    /// <summary>The value written into the square (0.5: mid gray).</summary>
    public double Fill { get; }
    /// <summary>Probability of cutting an image.</summary>
    public double Probability { get; }

    /// <summary>Checks the settings.</summary>
    public Cutout(double sizeFraction = 0.5, double fill = 0.5, double probability = 1.0)
    {
        if (!(sizeFraction > 0 && sizeFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(sizeFraction), sizeFraction, "sizeFraction must lie in (0, 1].");
        if (!(fill >= 0 && fill <= 1)) throw new ArgumentOutOfRangeException(nameof(fill), fill, "fill must lie in [0, 1].");
        ViewTransforms.CheckProbability(probability, nameof(probability));
        (SizeFraction, Fill, Probability) = (sizeFraction, fill, probability);
    }

    /// <summary>The square's side in pixels for images of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public int SideFor(long height, long width) => Math.Max(1, (int)Math.Round(SizeFraction * Math.Min(height, width)));

    /// <summary>Per-image centres (row, column; [N] int64 each) and whether to cut ([N] bool), in the order Apply draws them.</summary>
    public (Tensor Row, Tensor Column, Tensor Apply) Sample(long n, long height, long width, Generator generator)
    {
        var row = randint(height, [n], generator: generator);
        var column = randint(width, [n], generator: generator);
        return (row, column, ViewTransforms.Bernoulli(n, Probability, generator));
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        var (row, column, apply) = Sample(images.shape[0], images.shape[2], images.shape[3], generator);
        return Apply(images, row, column, apply).MoveToOuterDisposeScope();
    }

    /// <summary>Cuts with given centres: rows <c>[r - s/2, r - s/2 + s)</c> and columns likewise (s the side, clipped to
    /// the image) become <see cref="Fill"/> where <paramref name="apply"/>. [N, C, H, W] -> [N, C, H, W].</summary>
    public Tensor Apply(Tensor images, Tensor row, Tensor column, Tensor apply)
    {
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        int side = SideFor(h, w);
        var top = (row - side / 2).view(-1, 1, 1);                                   // [N, 1, 1]
        var left = (column - side / 2).view(-1, 1, 1);
        var ys = arange(h, dtype: ScalarType.Int64).view(1, -1, 1);                  // [1, H, 1]
        var xs = arange(w, dtype: ScalarType.Int64).view(1, 1, -1);                  // [1, 1, W]
        var inside = ys.ge(top) & ys.lt(top + side) & xs.ge(left) & xs.lt(left + side); // [N, H, W]
        var cut = (inside & apply.view(-1, 1, 1)).unsqueeze(1);                      // [N, 1, H, W]
        return images.masked_fill(cut, Fill).MoveToOuterDisposeScope();
    }
}
