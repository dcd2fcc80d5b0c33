using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>
/// Joint RGB colour histograms as features: the shortcut SimCLR (Chen et al., ICML 2020, figure 6) warns about.
/// Two crops of one image share their colour distribution, so without colour distortion a network can tell positive
/// pairs apart from negatives by colour alone.
/// </summary>
public static class ColourHistogram
{
    /// <summary>Each image's joint RGB histogram with <paramref name="bins"/> levels per channel, normalised to sum 1.</summary>
    /// <param name="images"><c>[N, 3, H, W]</c> in 0..1 (values outside are clamped)</param>
    /// <param name="bins">levels per channel, 1..16</param>
    /// <returns><c>[N, bins^3]</c> float32; bin index <c>(r * bins + g) * bins + b</c></returns>
    public static Tensor Features(Tensor images, int bins = 4)
    {
        if (images.dim() != 4 || images.shape[1] != 3) throw new ArgumentException($"images must be [N, 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        if (bins < 1 || bins > 16) throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be in 1..16.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = images.shape[0], pixels = images.shape[2] * images.shape[3];
        var level = (images.detach().to(ScalarType.Float32).clamp(0, 1) * bins).floor().clamp(0, bins - 1).to(ScalarType.Int64); // [N, 3, H, W]
        var index = (level[.., 0] * bins + level[.., 1]) * bins + level[.., 2];   // [N, H, W]
        var flat = index.reshape(n, pixels);                                     // [N, H*W]
        var counts = zeros(n, bins * bins * bins).scatter_add_(1, flat, ones(n, pixels)); // [N, bins^3]
        return (counts / pixels).MoveToOuterDisposeScope();
    }
}
