using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>
/// Nearest-neighbour retrieval in a feature space: a query's most cosine-similar images of a bank, and how often they
/// share the query's class (precision at k). The picture behind "semantics from a non-semantic task": if a pretext task
/// taught the encoder something about objects, an image's neighbours show the same kind of object.
/// </summary>
public static class Retrieval
{
    /// <summary>
    /// The indices of the <paramref name="k"/> bank rows most cosine-similar to each query row, most similar first.
    /// With <paramref name="excludeSelf"/> (queries and bank are the same images, in the same order) a query never
    /// retrieves itself. <c>queries [Q, D], bank [M, D] -> [Q, k]</c> int64.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, k is not in 1..M (1..M−1 when excluding self), or self-exclusion is asked with Q ≠ M.</exception>
    public static Tensor Neighbours(Tensor queries, Tensor bank, int k, bool excludeSelf = false)
    {
        if (queries.dim() != 2 || bank.dim() != 2 || queries.shape[1] != bank.shape[1])
            throw new ArgumentException($"queries and bank must be [Q, D] and [M, D] with the same D; got [{string.Join(", ", queries.shape)}] and [{string.Join(", ", bank.shape)}].");
        long m = bank.shape[0];
        if (excludeSelf && queries.shape[0] != m) throw new ArgumentException($"excludeSelf needs the queries to be the bank itself; got {queries.shape[0]} queries and {m} bank rows.", nameof(excludeSelf));
        long available = excludeSelf ? m - 1 : m;
        if (k < 1 || k > available) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{available}.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var sim = nn.functional.normalize(queries.to(ScalarType.Float32).cpu(), dim: 1)
            .matmul(nn.functional.normalize(bank.to(ScalarType.Float32).cpu(), dim: 1).T);                  // [Q, D] x [D, M] -> [Q, M]
        if (excludeSelf) sim = sim.masked_fill(eye(m, dtype: ScalarType.Bool), double.NegativeInfinity);
        return sim.topk(k, dim: 1).indexes.MoveToOuterDisposeScope();                                       // [Q, k]
    }

    /// <summary>The share of each query's neighbours whose label is the query's. <c>neighbours [Q, k] -> [Q]</c> in 0..1.</summary>
    /// <exception cref="ArgumentException">Label counts disagree with the neighbour table.</exception>
    public static double[] PrecisionAtK(Tensor neighbours, Tensor queryLabels, Tensor bankLabels)
    {
        if (neighbours.dim() != 2 || queryLabels.dim() != 1 || queryLabels.shape[0] != neighbours.shape[0] || bankLabels.dim() != 1)
            throw new ArgumentException($"neighbours must be [Q, k] with Q query labels and 1-D bank labels; got [{string.Join(", ", neighbours.shape)}], [{string.Join(", ", queryLabels.shape)}], [{string.Join(", ", bankLabels.shape)}].");
        using var scope = NewDisposeScope();
        var retrieved = bankLabels.to(ScalarType.Int64).cpu().index([neighbours.flatten()]).view_as(neighbours);   // [Q, k]
        var same = retrieved.eq(queryLabels.to(ScalarType.Int64).cpu().unsqueeze(1)).to(ScalarType.Float32);       // [Q, k]
        return same.mean([1]).data<float>().Select(v => (double)v).ToArray();
    }

    /// <summary>Precision at k averaged within each class: one value per class present among the queries, so a class
    /// with many queries does not dominate (and the spread over classes says how uneven retrieval is).</summary>
    public static double[] PrecisionPerClass(Tensor neighbours, Tensor queryLabels, Tensor bankLabels)
    {
        var perQuery = PrecisionAtK(neighbours, queryLabels, bankLabels);
        var labels = queryLabels.to(ScalarType.Int64).cpu().data<long>().ToArray();
        return labels.Distinct().OrderBy(c => c).Select(c => Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Average(i => perQuery[i])).ToArray();
    }
}
