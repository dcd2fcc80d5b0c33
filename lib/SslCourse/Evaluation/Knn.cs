using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Evaluation;

/// <summary>
/// The weighted k-nearest-neighbour classifier of Wu, Xiong, Yu and Lin (CVPR 2018, instance discrimination), the
/// usual monitor of self-supervised training: cosine similarity on L2-normalised features, the k most similar
/// training samples vote for their class with weight <c>exp(sim / T)</c>; k = 200, T = 0.07 by default.
/// The similarity matrix is computed in chunks of queries, so 10k x 10k fits in little memory.
/// </summary>
public static class Knn
{
    /// <summary>The paper's k.</summary>
    public const int DefaultK = 200;
    /// <summary>The paper's temperature.</summary>
    public const double DefaultTemperature = 0.07;

    /// <summary>Predicted class of each query.</summary>
    /// <param name="trainFeatures"><c>[M, D]</c></param>
    /// <param name="trainLabels"><c>[M]</c> int64 in 0..classes-1</param>
    /// <param name="queries"><c>[N, D]</c></param>
    /// <param name="classes">number of classes</param>
    /// <param name="k">neighbours (clipped to M)</param>
    /// <param name="temperature">T &gt; 0</param>
    /// <param name="chunk">queries per similarity block</param>
    /// <returns><c>[N]</c> int64</returns>
    public static Tensor Predict(Tensor trainFeatures, Tensor trainLabels, Tensor queries, int classes,
        int k = DefaultK, double temperature = DefaultTemperature, int chunk = 1024)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (chunk < 1) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "chunk must be at least 1.");
        if (trainFeatures.dim() != 2 || queries.dim() != 2 || trainFeatures.shape[1] != queries.shape[1])
            throw new ArgumentException($"trainFeatures [M, D] and queries [N, D] must share D; got [{string.Join(", ", trainFeatures.shape)}] and [{string.Join(", ", queries.shape)}].");
        if (trainLabels.dim() != 1 || trainLabels.shape[0] != trainFeatures.shape[0])
            throw new ArgumentException($"trainLabels must be [M] with M = {trainFeatures.shape[0]}; got [{string.Join(", ", trainLabels.shape)}].", nameof(trainLabels));
        using var _ = no_grad();
        using var outer = NewDisposeScope();
        var bank = normalize(trainFeatures.to(ScalarType.Float32), dim: 1);  // [M, D]
        var labels = trainLabels.to(ScalarType.Int64);
        int kk = (int)Math.Min(k, bank.shape[0]);
        var predictions = new List<Tensor>();
        long n = queries.shape[0];
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            var q = normalize(queries[(int)start..(int)Math.Min(n, start + chunk)].to(ScalarType.Float32), dim: 1); // [B, D]
            var sim = q.matmul(bank.T);                                   // [B, D] x [D, M] -> [B, M]
            var (top, idx) = sim.topk(kk, dim: 1);                         // [B, k], [B, k]
            var weights = (top / temperature).exp();                       // [B, k]
            var votes = zeros(q.shape[0], classes);                        // [B, C]
            votes.scatter_add_(1, labels[idx], weights);                   // add each neighbour's weight to its class
            predictions.Add(votes.argmax(1).MoveToOuterDisposeScope());    // [B]
        }
        return cat(predictions.ToArray(), 0).MoveToOuterDisposeScope();   // [N]
    }

    /// <summary>Accuracy (0..1) of <see cref="Predict"/> on labelled queries <c>[N, D]</c>, <c>[N]</c>.</summary>
    public static double Accuracy(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels, int classes,
        int k = DefaultK, double temperature = DefaultTemperature)
    {
        using var pred = Predict(trainFeatures, trainLabels, testFeatures, classes, k, temperature);
        return Metrics.Accuracy(pred, testLabels);
    }
}
