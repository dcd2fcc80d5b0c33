using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>
/// Filters for unlabelled data that does not come from the labelled data's domain, the "guardrail" the lecture asks for
/// before self-training on uncurated data (Oliver et al., NeurIPS 2018, show such data hurting semi-supervised methods).
/// Two scores, larger meaning "more out of domain": one minus the maximum softmax probability (Hendrycks and Gimpel,
/// ICLR 2017) and the distance to the k-th nearest labelled example in normalised feature space (Sun, Ming, Zhu and Li,
/// ICML 2022).
/// </summary>
public static class OutOfDomain
{
    /// <summary>1 - max_c p_c: <c>[N, C]</c> probabilities -> <c>[N]</c>.</summary>
    public static Tensor SoftmaxScore(Tensor probabilities)
    {
        if (probabilities.dim() != 2) throw new ArgumentException($"probabilities: expected [N, C], got [{string.Join(", ", probabilities.shape)}].", nameof(probabilities));
        return 1 - probabilities.max(1).values;
    }

    /// <summary>Euclidean distance from each feature to its k-th nearest reference feature, both L2-normalised first
    /// unless <paramref name="normalise"/> is false (then standardise them, e.g. with <see cref="Standardise"/>).</summary>
    /// <param name="features"><c>[N, D]</c> features of the unlabelled images.</param>
    /// <param name="reference"><c>[M, D]</c> features of the in-domain (labelled) images.</param>
    /// <param name="k">Which neighbour (1 &lt;= k &lt;= M, or M - 1 with <paramref name="excludeSelf"/>).</param>
    /// <param name="excludeSelf">True when <paramref name="features"/> is <paramref name="reference"/> itself: row i skips reference i.</param>
    /// <param name="normalise">L2-normalise features and references (for embeddings; distances then lie in [0, 2]).</param>
    /// <returns><c>[N]</c> distances.</returns>
    public static Tensor KnnScore(Tensor features, Tensor reference, int k = 1, bool excludeSelf = false, bool normalise = true)
    {
        if (features.dim() != 2 || reference.dim() != 2 || features.shape[1] != reference.shape[1])
            throw new ArgumentException($"features [{string.Join(", ", features.shape)}] and reference [{string.Join(", ", reference.shape)}] must be [N, D] and [M, D].", nameof(features));
        long m = reference.shape[0] - (excludeSelf ? 1 : 0);
        if (k < 1 || k > m) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{m}.");
        if (excludeSelf && features.shape[0] != reference.shape[0]) throw new ArgumentException("excludeSelf needs features and reference to be the same rows.", nameof(excludeSelf));
        using var scope = NewDisposeScope();
        var f = normalise ? nn.functional.normalize(features, dim: 1) : features;
        var r = normalise ? nn.functional.normalize(reference, dim: 1) : reference;
        var d = cdist(f, r);                                                                  // [N, M]
        if (excludeSelf) d = d.masked_fill(eye(d.shape[0], dtype: ScalarType.Bool), double.PositiveInfinity);
        return d.topk(k, dim: 1, largest: false).values[.., k - 1].contiguous().MoveToOuterDisposeScope();   // [N]
    }

    /// <summary>Standardises each feature dimension by the reference's mean and standard deviation:
    /// <c>(x - mean_ref) / (std_ref + eps)</c>, <c>[N, D]</c>, <c>[M, D]</c> -> <c>[N, D]</c>.</summary>
    public static Tensor Standardise(Tensor features, Tensor reference, double eps = 1e-6)
    {
        if (features.dim() != 2 || reference.dim() != 2 || features.shape[1] != reference.shape[1])
            throw new ArgumentException($"features [{string.Join(", ", features.shape)}] and reference [{string.Join(", ", reference.shape)}] must be [N, D] and [M, D].", nameof(features));
        if (reference.shape[0] < 2) throw new ArgumentException("reference: need at least 2 rows for a standard deviation.", nameof(reference));
        return (features - reference.mean([0])) / (reference.std([0]) + eps);
    }

    /// <summary>Low-level image statistics of an encoder's first blocks: the mean and standard deviation over positions
    /// of every channel of blocks 1..<paramref name="blocks"/> (the "style" of an image: colours, textures, blur; Huang and
    /// Belongie, ICCV 2017). In eval mode without gradients. <c>[N, C, H, W]</c> -> <c>[N, 2 (c_1 + ... + c_blocks)]</c>.</summary>
    public static Tensor BlockStatistics(SslCourse.Models.ConvNet encoder, Tensor images, int blocks = 2)
    {
        if (blocks < 1 || blocks > encoder.Widths.Count) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, $"blocks must be in 1..{encoder.Widths.Count}.");
        using var mode = ModeScope.Eval(encoder);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var outs = encoder.Features(images);
        var parts = new List<Tensor>();
        for (int i = 0; i < blocks; i++) { parts.Add(outs[i].mean([2, 3])); parts.Add(outs[i].std([2, 3])); }   // [N, c_i] each
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The threshold that keeps a fraction <paramref name="keep"/> of in-domain examples: the keep-quantile
    /// of their scores (e.g. the labelled images' leave-one-out <see cref="KnnScore"/>).</summary>
    /// <param name="inDomainScores"><c>[M]</c></param>
    /// <param name="keep">In (0, 1]; 0.95 keeps 95% of in-domain data.</param>
    public static double Threshold(Tensor inDomainScores, double keep = 0.95)
    {
        if (!(keep > 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must be in (0, 1].");
        return inDomainScores.to_type(ScalarType.Float64).quantile(keep).item<double>();
    }

    /// <summary>The positions whose score is at most <paramref name="threshold"/>: <c>[N]</c> -> <c>[K]</c> int64.</summary>
    public static Tensor Keep(Tensor scores, double threshold) => nonzero(scores.le(threshold)).squeeze(1);
}
