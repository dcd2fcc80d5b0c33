using SslCourse.Augment;
using SslCourse.Losses;
using SslCourse.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Training;

/// <summary>
/// Colorization as the course trains it (Zhang, Isola and Efros, ECCV 2016), shared by <see cref="PretextTraining"/>
/// and the registry: from the lightness (<see cref="PretextTraining.Lightness"/>) predict, at every pixel of the last
/// block's map upsampled 2x, a distribution over the ab bins; the targets are soft-encoded (ab averaged to that
/// resolution) and class-rebalanced with the training images' smoothed prior (<see cref="AbBins.RebalanceWeights"/>).
/// </summary>
public sealed class ColorizationTask
{
    /// <summary>Prepares the task for <paramref name="images"/>: the output resolution and the rebalancing weights
    /// (from at most the first 2,000 images), placed on <paramref name="device"/>.</summary>
    /// <param name="bins">the quantised ab space</param>
    /// <param name="images"><c>[N, 3, S, S]</c> RGB training images in 0..1</param>
    /// <param name="device">where the weights go (the model's device)</param>
    /// <exception cref="ArgumentException">the images are not RGB</exception>
    public ColorizationTask(AbBins bins, Tensor images, Device device)
    {
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"colorization needs RGB images [N, 3, S, S]; got [{string.Join(", ", images.shape)}] (a grayscale set has no colour to predict).", nameof(images));
        Bins = bins;
        Side = (int)(images.shape[2] / 8 * 2);   // the last block's map (S/8) upsampled 2x
        factor = (int)(images.shape[2] / Side);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var some = images[..(int)Math.Min(images.shape[0], 2000)];
        Weights = bins.RebalanceWeights(bins.Prior(Ab(some))).to(device).MoveToOuterDisposeScope();
    }

    readonly int factor;

    /// <summary>The quantised ab space.</summary>
    public AbBins Bins { get; }
    /// <summary>Side of the predicted ab map.</summary>
    public int Side { get; }
    /// <summary>Per-bin rebalancing weights <c>[Q]</c>.</summary>
    public Tensor Weights { get; }

    /// <summary>The head: a <see cref="PixelClassifier"/> on the encoder's last map, up to <see cref="Side"/>.</summary>
    public PixelClassifier Head(int featureDim) => new(featureDim, Bins.Count, hidden: 128, outputSize: (Side, Side));

    /// <summary>The ab channels averaged to the output resolution: <c>[N, 3, S, S]</c> RGB -> <c>[N, 2, Side, Side]</c>.</summary>
    public Tensor Ab(Tensor rgb) => functional.avg_pool2d(Lab.FromRgb(rgb)[.., 1..], factor);

    /// <summary>Logits over the bins from the lightness: <c>[N, 3, S, S]</c> RGB -> <c>[N, Q, Side, Side]</c>.</summary>
    public Tensor Logits(ConvNet encoder, Module<Tensor, Tensor> head, Tensor rgb) => head.call(encoder.Features(PretextTraining.Lightness(rgb))[^2]);

    /// <summary>The rebalanced soft-target cross-entropy of a batch of RGB images.</summary>
    /// <remarks>The weights follow the logits' device, so a model moved after the task was made still trains.</remarks>
    public Tensor Loss(ConvNet encoder, Module<Tensor, Tensor> head, Tensor rgb)
    {
        var logits = Logits(encoder, head, rgb);
        return RebalancedPixelCrossEntropy.Loss(logits, Bins.SoftEncode(Ab(rgb)), Weights.to(logits.device));
    }

    /// <summary>Predicted and nearest true bin of every output pixel (flattened), for the pretext accuracy.</summary>
    public (Tensor Predictions, Tensor Labels) Predict(ConvNet encoder, Module<Tensor, Tensor> head, Tensor rgb) =>
        (Logits(encoder, head, rgb).argmax(1).flatten(), Bins.Nearest(Ab(rgb)).flatten());
}
