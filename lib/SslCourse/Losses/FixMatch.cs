using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// FixMatch's unlabelled loss (Sohn et al., NeurIPS 2020): the prediction on a weakly augmented view, where its
/// confidence reaches the threshold tau, becomes a hard pseudo-label for the strongly augmented view of the same image:
/// <c>(1/B) sum_b 1[max q_b &gt;= tau] CE(argmax q_b, strong_b)</c>, q = softmax(sg(weak)). Default tau = 0.95.
/// </summary>
public static class FixMatch
{
    /// <summary>The paper's confidence threshold.</summary>
    public const double DefaultThreshold = 0.95;

    /// <summary>The unlabelled loss.</summary>
    /// <param name="weakLogits"><c>[B, C]</c> predictions on weak views (detached here)</param>
    /// <param name="strongLogits"><c>[B, C]</c> predictions on strong views</param>
    /// <param name="threshold">tau in [0, 1]</param>
    /// <returns>scalar (0 when no prediction is confident enough)</returns>
    public static Tensor Loss(Tensor weakLogits, Tensor strongLogits, double threshold = DefaultThreshold)
    {
        var (pseudo, mask) = PseudoLabels(weakLogits, threshold);
        LossChecks.SameShape(weakLogits, strongLogits, nameof(weakLogits), nameof(strongLogits));
        return CrossEntropy.Weighted(strongLogits, pseudo, mask);
    }

    /// <summary>The pseudo-labels and the confidence mask.</summary>
    /// <param name="weakLogits"><c>[B, C]</c></param>
    /// <param name="threshold">tau in [0, 1]</param>
    /// <returns>labels <c>[B]</c> int64 and mask <c>[B]</c> float (1 where max softmax &gt;= tau)</returns>
    public static (Tensor Labels, Tensor Mask) PseudoLabels(Tensor weakLogits, double threshold = DefaultThreshold)
    {
        if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1].");
        LossChecks.Rank(weakLogits, 2, nameof(weakLogits), "[B, C]");
        using var _ = no_grad();
        var (conf, labels) = softmax(weakLogits.detach(), 1).max(1); // [B], [B]
        return (labels, conf.ge(threshold).to_type(weakLogits.dtype));
    }
}
