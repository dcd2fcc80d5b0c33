using static TorchSharp.torch;

namespace SslCourse.Labels;

/// <summary>
/// Corrupts labels the way tired or non-expert annotators do. Symmetric noise flips a label to any other class with
/// equal probability; class-dependent noise follows a transition matrix T[true, given] (rows sum to 1), e.g. a shirt
/// labelled "T-shirt" far more often than "sneaker". The lecture's example: CUB-200 has about 4% wrong labels
/// (Van Horn et al., CVPR 2015).
/// </summary>
public static class LabelNoise
{
    /// <summary>The transition matrix of symmetric noise at <paramref name="rate"/>: 1 - rate on the diagonal, rate/(C-1) elsewhere.</summary>
    /// <returns>[C, C] float64.</returns>
    public static Tensor SymmetricTransition(int classes, double rate)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "need at least 2 classes.");
        if (rate < 0 || rate > 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be in [0, 1].");
        var offDiagonal = full(classes, classes, rate / (classes - 1), dtype: ScalarType.Float64);
        var diagonal = eye(classes, dtype: ScalarType.Float64);
        return offDiagonal * (1 - diagonal) + diagonal * (1 - rate);
    }

    /// <summary>A transition matrix where each class in a confusable group is mistaken for the other members of its
    /// group (uniformly) with probability <paramref name="rate"/>; classes outside every group stay clean.</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="rate">Probability that a label in a group is replaced by another member of the group.</param>
    /// <param name="groups">Groups of look-alike classes, e.g. Fashion-MNIST's {0 T-shirt, 2 pullover, 4 coat, 6 shirt}.</param>
    /// <returns>[C, C] float64.</returns>
    public static Tensor GroupTransition(int classes, double rate, params int[][] groups)
    {
        if (rate < 0 || rate > 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be in [0, 1].");
        var t = eye(classes, dtype: ScalarType.Float64);
        foreach (var group in groups)
        {
            if (group.Length < 2) throw new ArgumentException("each group needs at least 2 classes.", nameof(groups));
            foreach (var c in group)
            {
                if (c < 0 || c >= classes) throw new ArgumentOutOfRangeException(nameof(groups), c, $"class {c} is outside [0, {classes - 1}].");
                t[c, c] = tensor(1 - rate, dtype: ScalarType.Float64);
                foreach (var other in group.Where(o => o != c)) t[c, other] = tensor(rate / (group.Length - 1), dtype: ScalarType.Float64);
            }
        }
        return t;
    }

    /// <summary>Draws a noisy label for each true label from row <c>labels[i]</c> of <paramref name="transition"/>.</summary>
    /// <param name="labels">[N] int64 true labels.</param>
    /// <param name="transition">[C, C] rows summing to 1.</param>
    /// <param name="generator">Seeded generator (every draw comes from it).</param>
    /// <returns>[N] int64 noisy labels.</returns>
    public static Tensor Apply(Tensor labels, Tensor transition, Generator generator)
    {
        if (transition.dim() != 2 || transition.shape[0] != transition.shape[1])
            throw new ArgumentException($"transition: expected [C, C], got [{string.Join(", ", transition.shape)}].", nameof(transition));
        var rowSums = transition.sum(1);
        if (!rowSums.allclose(ones_like(rowSums), atol: 1e-6))
            throw new ArgumentException("transition: every row must sum to 1.", nameof(transition));
        using var scope = NewDisposeScope();
        var rows = transition.to_type(ScalarType.Float64).index_select(0, labels);   // [N, C]
        return multinomial(rows, 1, generator: generator).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>The fraction of labels that differ.</summary>
    public static double Rate(Tensor noisy, Tensor clean) => noisy.ne(clean).to_type(ScalarType.Float64).mean().item<double>();
}
