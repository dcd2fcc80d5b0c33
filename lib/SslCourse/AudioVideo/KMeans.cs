using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// k-means with k-means++ seeding (Arthur and Vassilvitskii, SODA 2007), used to cluster sounds so that the frames
/// that go with each sound cluster can be looked at together (Owens et al., "Ambient Sound Provides Supervision for
/// Visual Learning", ECCV 2016, cluster sound statistics the same way).
/// </summary>
public static class KMeans
{
    /// <summary>Clusters the rows of <paramref name="x"/>.</summary>
    /// <param name="x">[N, D].</param>
    /// <param name="k">Number of clusters (1..N).</param>
    /// <param name="iterations">Lloyd iterations after seeding.</param>
    /// <param name="generator">Draws the seeds.</param>
    /// <returns>Assign [N] int64 in 0..k-1 and Centroids [k, D].</returns>
    public static (Tensor Assign, Tensor Centroids) Fit(Tensor x, int k, int iterations, Generator generator)
    {
        if (x.dim() != 2) throw new ArgumentException($"x: expected [N, D], got [{string.Join(",", x.shape)}].", nameof(x));
        if (k < 1 || k > x.shape[0]) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{x.shape[0]}.");
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "iterations must be non-negative.");
        using var scope = NewDisposeScope();
        var data = x.to_type(ScalarType.Float32);
        long n = data.shape[0];
        var first = randint(0, n, new long[] { 1 }, generator: generator);
        var centres = new List<Tensor> { data.index_select(0, first) };                      // each [1, D]
        for (int c = 1; c < k; c++)
        {
            var d2 = cdist(data, cat(centres)).square().amin(new long[] { 1 });                 // [N]
            var probs = d2.sum().item<float>() > 0 ? d2 : ones_like(d2);
            var pick = multinomial(probs, 1, generator: generator);
            centres.Add(data.index_select(0, pick));
        }
        var cent = cat(centres);                                                              // [k, D]
        var assign = cdist(data, cent).argmin(1);                                             // [N]
        for (int it = 0; it < iterations; it++)
        {
            var onehot = nn.functional.one_hot(assign, k).to_type(ScalarType.Float32);           // [N, k]
            var counts = onehot.sum(new long[] { 0 });                                                       // [k]
            var sums = matmul(onehot.t(), data);                                              // [k, N] @ [N, D] -> [k, D]
            var keep = counts.eq(0).unsqueeze(1);
            cent = where(keep, cent, sums.div(counts.clamp_min(1).unsqueeze(1)));            // empty clusters keep their centre
            var next = cdist(data, cent).argmin(1);
            bool same = next.eq(assign).all().item<bool>();
            assign = next;
            if (same) break;
        }
        return (assign.MoveToOuterDisposeScope(), cent.MoveToOuterDisposeScope());
    }

    /// <summary>Purity: the fraction of points whose cluster's majority label is their own label.</summary>
    /// <param name="assign">[N] cluster ids in 0..k-1.</param>
    /// <param name="labels">[N] labels in 0..classes-1.</param>
    /// <param name="k">Number of clusters.</param>
    /// <param name="classes">Number of classes.</param>
    public static double Purity(Tensor assign, Tensor labels, int k, int classes)
    {
        using var scope = NewDisposeScope();
        var table = zeros(k * classes, dtype: ScalarType.Int64)
            .index_add(0, assign.mul(classes).add(labels), ones(assign.shape[0], dtype: ScalarType.Int64), 1)
            .reshape(k, classes);                                                            // [k, classes] counts
        return (double)table.amax(new long[] { 1 }).sum().item<long>() / assign.shape[0];
    }
}
