using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>
/// The scale transforms of data distillation (Radosavovic et al., CVPR 2018, run the model at several input scales and
/// average): zoom each image about its centre by a factor and keep its size, to add to
/// <see cref="DataDistillation.FlipsAndShifts"/>.
/// </summary>
public static class DistillationTransforms
{
    /// <summary>Zooms about the centre: factor &gt; 1 crops the central 1/factor of the image and resizes it back up,
    /// factor &lt; 1 pads by edge replication to size/factor and resizes it down (bilinear). <c>[N, C, H, W]</c> -> same shape.</summary>
    /// <param name="images"><c>[N, C, H, W]</c></param>
    /// <param name="factor">Zoom factor in [0.5, 2].</param>
    public static Tensor Zoom(Tensor images, double factor)
    {
        if (!(factor >= 0.5 && factor <= 2)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in [0.5, 2].");
        if (images.dim() != 4) throw new ArgumentException($"images: expected [N, C, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        long h = images.shape[2], w = images.shape[3];
        Tensor region;
        if (factor >= 1)
        {
            long ch = Math.Max(1, (long)Math.Round(h / factor)), cw = Math.Max(1, (long)Math.Round(w / factor));
            if (ch == h && cw == w) return images.clone();
            region = images.narrow(2, (h - ch) / 2, ch).narrow(3, (w - cw) / 2, cw);                 // [N, C, ch, cw]
        }
        else
        {
            long ph = (long)Math.Round((h / factor - h) / 2), pw = (long)Math.Round((w / factor - w) / 2);
            if (ph == 0 && pw == 0) return images.clone();
            region = nn.functional.pad(images, [pw, pw, ph, ph], PaddingModes.Replicate);              // [N, C, h+2ph, w+2pw]
        }
        return nn.functional.interpolate(region, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
    }

    /// <summary>One zoom transform per factor, for <see cref="DataDistillation.Ensemble"/>.</summary>
    public static IReadOnlyList<Func<Tensor, Tensor>> Scales(params double[] factors)
    {
        foreach (var f in factors)
            if (!(f >= 0.5 && f <= 2)) throw new ArgumentOutOfRangeException(nameof(factors), f, "every factor must be in [0.5, 2].");
        return factors.Select(f => (Func<Tensor, Tensor>)(x => Zoom(x, f))).ToArray();
    }
}
