using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>
/// A k-nearest-neighbour graph over points, the structure label propagation spreads labels through
/// (Zhu and Ghahramani, CMU tech. report 2002; Zhou et al., NeurIPS 2004).
/// </summary>
public static class KnnGraph
{
    /// <summary>
    /// Symmetric affinity matrix: W[i,j] = exp(-|x_i - x_j|^2 / (2 sigma^2)) when j is among the k nearest
    /// neighbours of i or i among those of j, else 0; the diagonal is 0.
    /// </summary>
    /// <param name="points">[N, D] points.</param>
    /// <param name="k">Neighbours per point (1 &lt;= k &lt; N).</param>
    /// <param name="sigma">Gaussian width; null uses the mean distance to the k-th neighbour.</param>
    /// <returns>[N, N] affinities.</returns>
    public static Tensor Affinity(Tensor points, int k, double? sigma = null)
    {
        if (points.dim() != 2) throw new ArgumentException($"points: expected [N, D], got [{string.Join(", ", points.shape)}].", nameof(points));
        long n = points.shape[0];
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {n - 1}] for {n} points.");
        if (sigma is <= 0) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be > 0.");
        using var scope = NewDisposeScope();
        var x = points.to_type(ScalarType.Float64);
        var d2 = cdist(x, x).pow(2);                                       // [N, N] squared distances
        var self = eye(n, dtype: ScalarType.Bool);
        var d2NoSelf = d2.masked_fill(self, double.PositiveInfinity);          // a point is not its own neighbour
        var (knnD2, knnIdx) = d2NoSelf.topk(k, dim: 1, largest: false);          // [N, k]
        double s = sigma ?? knnD2[.., k - 1].sqrt().mean().item<double>();
        if (s <= 0) s = 1;
        var mask = zeros(n, n, dtype: ScalarType.Bool).scatter_(1, knnIdx, ones_like(knnIdx, dtype: ScalarType.Bool));
        mask = mask.logical_or(mask.t()).logical_and(self.logical_not());   // symmetrise: i~j if either chose the other
        var w = exp(d2.neg() / (2 * s * s)).where(mask, zeros(1, dtype: ScalarType.Float64));
        return w.to_type(points.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The symmetrically normalised affinity S = D^-1/2 W D^-1/2 (D the degree matrix); isolated points keep 0 rows.</summary>
    /// <param name="affinity">[N, N] non-negative symmetric affinities.</param>
    /// <returns>[N, N].</returns>
    public static Tensor Normalise(Tensor affinity)
    {
        using var scope = NewDisposeScope();
        var degree = affinity.sum(1);                                       // [N]
        var inv = degree.clamp_min(1e-12).rsqrt().where(degree > 0, zeros_like(degree));
        return (inv.unsqueeze(1) * affinity * inv.unsqueeze(0)).MoveToOuterDisposeScope();
    }
}
