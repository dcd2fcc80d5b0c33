using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// The input of inpainting as a pretext task (context encoders, Pathak, Krähenbühl, Donahue, Darrell and Efros,
/// CVPR 2016): a square region of every image is hidden, and a network must predict it from the rest. The paper's
/// "central region" variant hides the centre square (a quarter of the image's area) and fills it with the mean pixel.
/// </summary>
public static class RegionMask
{
    /// <summary>
    /// Hides the centre <paramref name="size"/> x <paramref name="size"/> square of every image, filling it with
    /// <paramref name="fill"/> (per channel: the dataset's mean colour, as in the paper). Returns the masked images and
    /// the mask (true inside the hidden square). <c>[N, C, H, W] -> ([N, C, H, W], [1, 1, H, W] bool)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">images is not [N, C, H, W], or fill does not have C values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">size is not in 1..min(H, W).</exception>
    public static (Tensor Masked, Tensor Mask) Centre(Tensor images, int size, IReadOnlyList<double> fill)
    {
        if (images.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        long c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (size < 1 || size > Math.Min(h, w)) throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be in 1..{Math.Min(h, w)}.");
        if (fill.Count != c) throw new ArgumentException($"fill must have one value per channel ({c}); got {fill.Count}.", nameof(fill));
        using var scope = NewDisposeScope();
        int top = (int)(h - size) / 2, left = (int)(w - size) / 2;
        var mask = zeros([1, 1, h, w], dtype: ScalarType.Bool, device: images.device);
        mask[.., .., top..(top + size), left..(left + size)] = true;                                          // [1, 1, H, W]
        var colour = tensor(fill.Select(v => (float)v).ToArray(), device: images.device).view(1, c, 1, 1).to(images.dtype); // [1, C, 1, 1]
        var masked = images.where(mask.logical_not(), colour);                                                  // [N, C, H, W]
        return (masked.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>The mean of each channel over a set of images: the fill the paper uses. <c>[N, C, H, W] -> C values</c>.</summary>
    public static double[] MeanColour(Tensor images)
    {
        if (images.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        using var scope = NewDisposeScope();
        return images.to(ScalarType.Float64).mean([0, 2, 3]).cpu().data<double>().ToArray();
    }

    /// <summary>
    /// The inpainting loss: the mean squared error between <paramref name="predicted"/> and <paramref name="target"/>
    /// over the pixels (and channels) inside <paramref name="mask"/> only: what is visible costs nothing to predict.
    /// Squared error is minimised by the mean of the plausible fills, hence the blur the paper fought with an
    /// adversarial loss. <c>[N, C, H, W], [N, C, H, W], mask broadcastable to [N, 1, H, W] -> scalar</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree or the mask selects nothing.</exception>
    public static Tensor Loss(Tensor predicted, Tensor target, Tensor mask)
    {
        if (!predicted.shape.SequenceEqual(target.shape)) throw new ArgumentException($"predicted [{string.Join(", ", predicted.shape)}] and target [{string.Join(", ", target.shape)}] differ.", nameof(predicted));
        using var scope = NewDisposeScope();
        var m = mask.to(predicted.dtype).expand_as(predicted);                                                 // [N, C, H, W]
        var count = m.sum();
        if (count.item<float>() == 0) throw new ArgumentException("the mask selects no pixel.", nameof(mask));
        return ((predicted - target).pow(2) * m).sum().div(count).MoveToOuterDisposeScope();
    }
}
