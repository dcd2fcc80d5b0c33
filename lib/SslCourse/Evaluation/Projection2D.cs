using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>2-D coordinates of N embeddings, for a scatter plot (one point per sample, in input order).</summary>
/// <param name="X">first coordinate of each sample</param>
/// <param name="Y">second coordinate of each sample</param>
public sealed record Points2D(float[] X, float[] Y)
{
    /// <summary>Coordinates from a <c>[N, 2]</c> tensor.</summary>
    public static Points2D FromTensor(Tensor xy)
    {
        if (xy.dim() != 2 || xy.shape[1] != 2) throw new ArgumentException($"expected [N, 2]; got [{string.Join(", ", xy.shape)}].", nameof(xy));
        using var c = xy.to(ScalarType.Float32).cpu().contiguous();
        var flat = c.data<float>().ToArray();
        var x = new float[flat.Length / 2];
        var y = new float[flat.Length / 2];
        for (int i = 0; i < x.Length; i++) { x[i] = flat[2 * i]; y[i] = flat[2 * i + 1]; }
        return new Points2D(x, y);
    }
}

/// <summary>
/// Projections of embeddings to two dimensions: PCA (the two directions of largest variance) and t-SNE
/// (van der Maaten and Hinton, JMLR 2008; exact O(N^2) gradients, fine up to a few thousand points).
/// </summary>
public static class Projection2D
{
    /// <summary>The first two principal components of <c>[N, D]</c> features -> <c>[N, 2]</c> coordinates.
    /// Signs are fixed so that each component's largest loading is positive (repeatable pictures).</summary>
    public static Points2D Pca(Tensor features) => Points2D.FromTensor(PcaTensor(features, 2));

    /// <summary>Projection of <c>[N, D]</c> onto its first <paramref name="components"/> principal components -> <c>[N, components]</c>.</summary>
    public static Tensor PcaTensor(Tensor features, int components)
    {
        if (features.dim() != 2 || features.shape[0] < 2) throw new ArgumentException($"features must be [N, D] with N >= 2; got [{string.Join(", ", features.shape)}].", nameof(features));
        if (components < 1 || components > features.shape[1]) throw new ArgumentOutOfRangeException(nameof(components), components, $"components must be in 1..D = {features.shape[1]}.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = features.to(ScalarType.Float64).cpu();
        var centered = x - x.mean([0]);                                       // [N, D]
        var cov = centered.T.matmul(centered) / (x.shape[0] - 1);             // [D, N] x [N, D] -> [D, D]
        var (_, vectors) = linalg.eigh(cov);                                   // ascending eigenvalues; vectors [D, D] as columns
        var top = vectors.flip(1)[.., ..components];                          // [D, k], largest first
        var sign = top.gather(0, top.abs().argmax(0, keepdim: true)).sign();  // [1, k]
        top = top * sign;
        return centered.matmul(top).to(ScalarType.Float32).MoveToOuterDisposeScope(); // [N, D] x [D, k] -> [N, k]
    }

    /// <summary>t-SNE of <c>[N, D]</c> features -> 2-D coordinates. Features are first reduced to 50 dimensions by PCA.</summary>
    /// <param name="features"><c>[N, D]</c></param>
    /// <param name="generator">draws the initial layout</param>
    /// <param name="perplexity">effective number of neighbours (paper: 5-50; default 30), below N</param>
    /// <param name="iterations">gradient steps (the first 250 with early exaggeration 12)</param>
    /// <param name="learningRate">step size (default max(N / 12, 200): the classic 200 for small sets, N / 12 for large ones, Belkina et al., Nat. Commun. 2019)</param>
    public static Points2D Tsne(Tensor features, Generator generator, double perplexity = 30, int iterations = 500, double? learningRate = null)
    {
        if (features.dim() != 2 || features.shape[0] < 4) throw new ArgumentException($"features must be [N, D] with N >= 4; got [{string.Join(", ", features.shape)}].", nameof(features));
        long n = features.shape[0];
        if (!(perplexity >= 1 && perplexity < n)) throw new ArgumentOutOfRangeException(nameof(perplexity), perplexity, $"perplexity must be in [1, N = {n}).");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "iterations must be at least 1.");
        double lr = learningRate ?? Math.Max(n / 12.0, 200);
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), lr, "learningRate must be positive.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = features.shape[1] > 50 ? PcaTensor(features, 50) : features.to(ScalarType.Float32).cpu();
        var p = JointProbabilities(x, perplexity);                           // [N, N], sums to 1
        var y = randn([n, 2], generator: generator) * 1e-4;                  // [N, 2]
        var update = zeros_like(y);
        var gains = ones_like(y);
        var offDiagonal = 1 - eye(n);
        for (int it = 0; it < iterations; it++)
        {
            using var step = NewDisposeScope();
            double exaggeration = it < 250 ? 12 : 1, momentum = it < 250 ? 0.5 : 0.8;
            var d2 = SquaredDistances(y);                                     // [N, N]
            var num = (1 + d2).reciprocal() * offDiagonal;                    // Student-t kernel, no self-pairs
            var q = (num / num.sum()).clamp_min(1e-12);                       // [N, N]
            var w = (p * exaggeration - q) * num;                             // [N, N]
            var grad = 4 * (w.sum(1, keepdim: true) * y - w.matmul(y));       // [N, 2]: 4 sum_j w_ij (y_i - y_j)
            var same = grad.sign().eq(update.sign());
            gains.copy_(where(same, gains * 0.8, gains + 0.2).clamp_min(0.01));
            update.copy_(momentum * update - lr * gains * grad);
            y.add_(update);
            y.sub_(y.mean([0]));
        }
        return Points2D.FromTensor(y);
    }

    static Tensor SquaredDistances(Tensor x)
    {
        var sq = x.pow(2).sum(1, keepdim: true);                             // [N, 1]
        return (sq + sq.T - 2 * x.matmul(x.T)).clamp_min(0);                  // [N, N]
    }

    /// <summary>Symmetrised affinities <c>p_ij = (p_j|i + p_i|j) / 2N</c>, each row's Gaussian width found by bisection
    /// so that its entropy equals log(perplexity) (all rows at once).</summary>
    static Tensor JointProbabilities(Tensor x, double perplexity)
    {
        long n = x.shape[0];
        var d2 = SquaredDistances(x.to(ScalarType.Float64));                  // [N, N]
        d2 = d2 / d2.mean();                                                   // scale-free bisection range
        var notSelf = 1 - eye(n, dtype: ScalarType.Float64);
        double target = Math.Log(perplexity);
        var lo = full([n, 1], -20.0, dtype: ScalarType.Float64);              // log beta bounds
        var hi = full([n, 1], 20.0, dtype: ScalarType.Float64);
        Tensor cond = null!;
        for (int i = 0; i < 60; i++)
        {
            var logBeta = (lo + hi) / 2;                                       // [N, 1]
            var logits = -d2 * logBeta.exp();
            logits = logits.masked_fill(notSelf.eq(0), double.NegativeInfinity);
            cond = nn.functional.softmax(logits, 1);                          // [N, N] p_j|i
            var entropy = -(cond * cond.clamp_min(1e-300).log()).sum(1, keepdim: true); // [N, 1]
            var tooFlat = entropy.gt(target);                                 // too wide: raise beta
            lo = where(tooFlat, logBeta, lo);
            hi = where(tooFlat, hi, logBeta);
        }
        var joint = (cond + cond.T) / (2.0 * n);
        return joint.clamp_min(1e-12).to(ScalarType.Float32);
    }
}
