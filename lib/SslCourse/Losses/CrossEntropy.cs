using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// Cross-entropy between predicted class distributions (softmax of logits) and targets, in its three forms:
/// hard labels, soft target distributions, and hard labels with a weight per sample (pseudo-labels weighted by
/// confidence). Computed from <c>log_softmax</c>, so any logit scale is stable.
/// </summary>
public static class CrossEntropy
{
    /// <summary>Hard targets: <c>-(1/N) sum_n log softmax(logits_n)[y_n]</c>.</summary>
    /// <param name="logits"><c>[N, C]</c></param>
    /// <param name="labels"><c>[N]</c> int64 in 0..C-1</param>
    /// <returns>scalar</returns>
    public static Tensor Hard(Tensor logits, Tensor labels)
    {
        LossChecks.Rank(logits, 2, nameof(logits), "[N, C]");
        LossChecks.Labels(logits, labels);
        return cross_entropy(logits, labels);
    }

    /// <summary>Soft targets: <c>-(1/N) sum_n sum_c t_nc log softmax(logits_n)_c</c>.</summary>
    /// <param name="logits"><c>[N, C]</c></param>
    /// <param name="targets"><c>[N, C]</c>, each row a distribution</param>
    /// <returns>scalar</returns>
    public static Tensor Soft(Tensor logits, Tensor targets)
    {
        LossChecks.Rank(logits, 2, nameof(logits), "[N, C]");
        LossChecks.SameShape(logits, targets, nameof(logits), nameof(targets));
        return -(targets * log_softmax(logits, 1)).sum(1).mean(); // [N, C] -> [N] -> scalar
    }

    /// <summary>Hard targets weighted per sample: <c>(1/N) sum_n w_n * CE_n</c> (a weight of 0 drops a sample; the
    /// mean is over all N, as in FixMatch's masked loss).</summary>
    /// <param name="logits"><c>[N, C]</c></param>
    /// <param name="labels"><c>[N]</c> int64</param>
    /// <param name="weights"><c>[N]</c>, non-negative</param>
    /// <returns>scalar</returns>
    public static Tensor Weighted(Tensor logits, Tensor labels, Tensor weights)
    {
        LossChecks.Rank(logits, 2, nameof(logits), "[N, C]");
        LossChecks.Labels(logits, labels);
        LossChecks.Labels(logits, weights, nameof(weights));
        var perSample = cross_entropy(logits, labels, reduction: TorchSharp.torch.nn.Reduction.None); // [N]
        return (weights.to_type(perSample.dtype) * perSample).mean();
    }

    /// <summary>Per-sample cross-entropy with hard labels.</summary>
    /// <param name="logits"><c>[N, C]</c></param>
    /// <param name="labels"><c>[N]</c></param>
    /// <returns><c>[N]</c></returns>
    public static Tensor PerSample(Tensor logits, Tensor labels)
    {
        LossChecks.Rank(logits, 2, nameof(logits), "[N, C]");
        LossChecks.Labels(logits, labels);
        return cross_entropy(logits, labels, reduction: TorchSharp.torch.nn.Reduction.None);
    }
}
