using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// The colorization loss of Zhang, Isola and Efros (ECCV 2016): a multinomial cross-entropy at every pixel between
/// the predicted distribution over Q quantised ab bins (Q = 313) and the soft-encoded true colour, weighted by the
/// rarity of the pixel's most likely bin so that desaturated colours do not dominate:
/// <c>L = -(1/(N H W)) sum_{n,h,w} v(Z_nhw) sum_q Z_nhwq log softmax(logits)_nhwq</c>, <c>v(Z) = w[argmax_q Z_q]</c>.
/// </summary>
public static class RebalancedPixelCrossEntropy
{
    /// <summary>The paper's mixing weight lambda = 0.5 between the empirical prior and the uniform distribution.</summary>
    public const double DefaultLambda = 0.5;

    /// <summary>The loss with soft targets.</summary>
    /// <param name="logits"><c>[N, Q, H, W]</c></param>
    /// <param name="targets"><c>[N, Q, H, W]</c>, a distribution over Q at every pixel</param>
    /// <param name="weights"><c>[Q]</c> class weights (see <see cref="ClassWeights"/>); all ones gives plain per-pixel cross-entropy</param>
    /// <returns>scalar</returns>
    public static Tensor Loss(Tensor logits, Tensor targets, Tensor weights)
    {
        LossChecks.Rank(logits, 4, nameof(logits), "[N, Q, H, W]");
        LossChecks.SameShape(logits, targets, nameof(logits), nameof(targets));
        CheckWeights(logits, weights);
        using var scope = NewDisposeScope();
        var perPixel = -(targets * log_softmax(logits, 1)).sum(1);   // [N, Q, H, W] -> [N, H, W]
        var v = weights.to_type(perPixel.dtype)[targets.argmax(1)];   // [N, H, W] weight of each pixel's mode bin
        return (v * perPixel).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The loss with hard targets (one bin per pixel): <c>-(1/(N H W)) sum w[y] log softmax(logits)[y]</c>.</summary>
    /// <param name="logits"><c>[N, Q, H, W]</c></param>
    /// <param name="bins"><c>[N, H, W]</c> int64 in 0..Q-1</param>
    /// <param name="weights"><c>[Q]</c></param>
    /// <returns>scalar</returns>
    public static Tensor LossHard(Tensor logits, Tensor bins, Tensor weights)
    {
        LossChecks.Rank(logits, 4, nameof(logits), "[N, Q, H, W]");
        if (bins.dim() != 3 || bins.shape[0] != logits.shape[0] || bins.shape[1] != logits.shape[2] || bins.shape[2] != logits.shape[3])
            throw new ArgumentException($"bins must be [N, H, W] = [{logits.shape[0]}, {logits.shape[2]}, {logits.shape[3]}]; got {LossChecks.Shape(bins)}.", nameof(bins));
        CheckWeights(logits, weights);
        using var scope = NewDisposeScope();
        var perPixel = cross_entropy(logits, bins, reduction: TorchSharp.torch.nn.Reduction.None); // [N, H, W]
        return (weights.to_type(perPixel.dtype)[bins] * perPixel).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The paper's class-rebalancing weights: <c>w ∝ ((1 - lambda) p + lambda / Q)^-1</c>, normalised so that
    /// <c>sum_q p_q w_q = 1</c>, where p is the empirical distribution of bins (e.g. smoothed counts over the data).
    /// </summary>
    /// <param name="prior"><c>[Q]</c> non-negative (normalised here)</param>
    /// <param name="lambda">in [0, 1]; 0.5 in the paper</param>
    /// <returns><c>[Q]</c></returns>
    public static Tensor ClassWeights(Tensor prior, double lambda = DefaultLambda)
    {
        if (!(lambda >= 0 && lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be in [0, 1].");
        LossChecks.Rank(prior, 1, nameof(prior), "[Q]");
        using var scope = NewDisposeScope();
        var p = prior.to_type(ScalarType.Float32);
        if (p.lt(0).any().item<bool>() || !(p.sum().item<float>() > 0))
            throw new ArgumentException("prior must be non-negative with a positive sum.", nameof(prior));
        p = p / p.sum();
        var w = ((1 - lambda) * p + lambda / p.shape[0]).reciprocal(); // [Q]
        if (lambda == 0) w = w.nan_to_num(0, 0, 0);                    // bins never seen get weight 0 without smoothing
        w = w / (p * w).sum();
        return w.MoveToOuterDisposeScope();
    }

    static void CheckWeights(Tensor logits, Tensor weights)
    {
        if (weights.dim() != 1 || weights.shape[0] != logits.shape[1])
            throw new ArgumentException($"weights must be [Q] with Q = {logits.shape[1]}; got {LossChecks.Shape(weights)}.", nameof(weights));
    }
}
