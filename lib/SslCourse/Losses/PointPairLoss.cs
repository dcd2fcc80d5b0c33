using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Losses;

/// <summary>
/// The point-grouping loss of the convex-decomposition pretext (Gadelha et al., "Label-Efficient Learning on Point
/// Clouds using Approximate Convex Decompositions", ECCV 2020): a contrastive loss on pairs of points of the same
/// shape (Hadsell, Chopra, LeCun, "Dimensionality Reduction by Learning an Invariant Mapping", CVPR 2006). Features
/// are L2-normalised; a pair in the same piece is pulled together by its squared distance, a pair in different
/// pieces is pushed apart until it is at least the margin apart:
/// loss = mean over shapes of [ mean over same-piece pairs d_ij^2 + mean over different-piece pairs max(0, m - d_ij)^2 ],
/// pairs i != j; the two means keep the few different-piece pairs from being swamped. A shape without pairs of a
/// kind adds 0 for that term.
/// </summary>
public static class PointPairLoss
{
    /// <summary>Default margin on unit-norm features (distances lie in [0, 2]; orthogonal features are sqrt(2) apart).</summary>
    public const double DefaultMargin = 1.0;

    /// <summary>The loss: features [B, M, D], pieces [B, M] (int64 piece id per point) -> scalar.</summary>
    /// <exception cref="ArgumentOutOfRangeException">margin is not positive.</exception>
    public static Tensor Loss(Tensor features, Tensor pieces, double margin = DefaultMargin)
    {
        if (!(margin > 0)) throw new ArgumentOutOfRangeException(nameof(margin), margin, $"margin must be positive, got {margin}.");
        if (features.dim() != 3) throw new ArgumentException($"features: expected [B, M, D], got [{string.Join(", ", features.shape)}].", nameof(features));
        if (pieces.dim() != 2 || pieces.shape[0] != features.shape[0] || pieces.shape[1] != features.shape[1])
            throw new ArgumentException($"pieces: expected [{features.shape[0]}, {features.shape[1]}], got [{string.Join(", ", pieces.shape)}].", nameof(pieces));
        using var scope = NewDisposeScope();
        long m = features.shape[1];
        var z = nn.functional.normalize(features, p: 2, dim: -1);                   // [B, M, D]
        var d2 = (2 - 2 * z.matmul(z.transpose(1, 2))).clamp_min(0);               // [B, M, D] @ [B, D, M] -> [B, M, M]
        var d = (d2 + 1e-12).sqrt();                                               // [B, M, M]
        var same = pieces.unsqueeze(2).eq(pieces.unsqueeze(1));                    // [B, M, 1] == [B, 1, M] -> [B, M, M]
        var offDiagonal = eye(m, dtype: ScalarType.Bool, device: features.device).logical_not().unsqueeze(0); // [1, M, M]
        var positive = same.logical_and(offDiagonal).to_type(features.dtype);       // [B, M, M]
        var negative = same.logical_not().to_type(features.dtype);                  // [B, M, M]
        var pull = (d2 * positive).sum(new long[] { 1, 2 }) / positive.sum(new long[] { 1, 2 }).clamp_min(1);               // [B]
        var push = ((margin - d).clamp_min(0).pow(2) * negative).sum(new long[] { 1, 2 }) / negative.sum(new long[] { 1, 2 }).clamp_min(1); // [B]
        return (pull + push).mean().MoveToOuterDisposeScope();
    }
}
