using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al., ICML 2020), an InfoNCE loss
/// (van den Oord et al., 2018) whose negatives are the other samples of the batch.
/// For anchor i with positive j: <c>l(i, j) = -log( exp(s_ij / T) / sum_{k != i} exp(s_ik / T) )</c>,
/// s = cosine similarity; averaged over every anchor of every view and each of its positives.
/// Default temperature 0.5 (SimCLR's CIFAR-10 setting); any T &gt; 0 is stable (log-sum-exp).
/// </summary>
public static class NtXent
{
    /// <summary>SimCLR's default temperature for CIFAR-10.</summary>
    public const double DefaultTemperature = 0.5;

    /// <summary>Two views: the SimCLR loss over 2N anchors.</summary>
    /// <param name="za"><c>[N, D]</c> projections of the first views</param>
    /// <param name="zb"><c>[N, D]</c> projections of the second views (row n pairs with row n of za)</param>
    /// <param name="temperature">T &gt; 0</param>
    /// <returns>scalar</returns>
    public static Tensor Loss(Tensor za, Tensor zb, double temperature = DefaultTemperature) => Loss([za, zb], temperature);

    /// <summary>Any number V &gt;= 2 of views: every other view of the same sample is a positive; the denominator
    /// holds all V*N - 1 other embeddings. With V = 2 it is SimCLR's loss.</summary>
    /// <param name="views">V tensors, each <c>[N, D]</c></param>
    /// <param name="temperature">T &gt; 0</param>
    /// <returns>scalar</returns>
    public static Tensor Loss(IReadOnlyList<Tensor> views, double temperature = DefaultTemperature)
    {
        LossChecks.Temperature(temperature);
        if (views.Count < 2) throw new ArgumentException($"NT-Xent needs at least 2 views; got {views.Count}.", nameof(views));
        foreach (var v in views)
        {
            LossChecks.Rank(v, 2, nameof(views), "a list of [N, D] tensors");
            LossChecks.SameShape(views[0], v, "views[0]", "views[i]");
        }
        long n = views[0].shape[0], m = views.Count * n;
        if (n < 2) throw new ArgumentException($"NT-Xent needs at least 2 samples per view (negatives); got N = {n}.", nameof(views));
        using var scope = NewDisposeScope();
        var z = normalize(cat(views.ToArray(), 0), dim: 1);          // [V*N, D], unit rows
        var logits = z.matmul(z.T) / temperature;                      // [V*N, D] x [D, V*N] -> [V*N, V*N]
        var self = eye(m, dtype: ScalarType.Bool, device: z.device);
        logits = logits.masked_fill(self, double.NegativeInfinity);   // k != i
        var logProb = logits - logits.logsumexp(1, keepdim: true);     // [V*N, V*N] log softmax over k != i
        var sample = arange(m, device: z.device) % n;                  // [V*N] sample index of each row
        var positive = sample.unsqueeze(1).eq(sample.unsqueeze(0)).logical_and(self.logical_not()); // [V*N, V*N]
        var loss = -logProb.masked_select(positive).mean();            // mean over V*N*(V-1) anchor-positive pairs
        return loss.MoveToOuterDisposeScope();
    }
}
