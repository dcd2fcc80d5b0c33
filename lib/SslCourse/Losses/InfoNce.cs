using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// InfoNCE with explicit negatives (van den Oord, Li and Vinyals, 2018), the form MoCo (He et al., CVPR 2020) takes
/// against its queue and InstDisc (Wu et al., CVPR 2018) against its memory bank:
/// <c>l_n = -log( exp(q_n.k_n / T) / (exp(q_n.k_n / T) + sum_j exp(q_n.neg_j / T)) )</c> on L2-normalised vectors.
/// Default temperature 0.07 (MoCo, InstDisc).
/// </summary>
public static class InfoNce
{
    /// <summary>MoCo's temperature.</summary>
    public const double DefaultTemperature = 0.07;

    /// <summary>The loss of N queries, each with its positive key and a shared set of K negatives.</summary>
    /// <param name="queries"><c>[N, D]</c> (normalised inside)</param>
    /// <param name="positiveKeys"><c>[N, D]</c> (normalised inside)</param>
    /// <param name="negatives"><c>[K, D]</c> (normalised inside), e.g. a MoCo queue; K may be 0</param>
    /// <param name="temperature">T &gt; 0</param>
    /// <returns>scalar</returns>
    public static Tensor Loss(Tensor queries, Tensor positiveKeys, Tensor negatives, double temperature = DefaultTemperature)
    {
        LossChecks.Temperature(temperature);
        LossChecks.Rank(queries, 2, nameof(queries), "[N, D]");
        LossChecks.SameShape(queries, positiveKeys, nameof(queries), nameof(positiveKeys));
        LossChecks.Rank(negatives, 2, nameof(negatives), "[K, D]");
        if (negatives.shape[1] != queries.shape[1])
            throw new ArgumentException($"negatives {LossChecks.Shape(negatives)} must have D = {queries.shape[1]} like the queries.", nameof(negatives));
        using var scope = NewDisposeScope();
        var q = normalize(queries, dim: 1);
        var k = normalize(positiveKeys, dim: 1);
        var neg = normalize(negatives, dim: 1);
        var lPos = (q * k).sum(1, keepdim: true);          // [N, 1]
        var lNeg = q.matmul(neg.T);                          // [N, D] x [D, K] -> [N, K]
        var logits = cat([lPos, lNeg], 1) / temperature;     // [N, 1 + K]; the positive is class 0
        var labels = zeros(queries.shape[0], dtype: ScalarType.Int64, device: q.device);
        return cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }

    /// <summary>MoCo's loss: InfoNCE of the queries against the momentum encoder's keys (no gradient flows into the
    /// keys or the queue).</summary>
    /// <param name="queries"><c>[N, D]</c> from the encoder being trained</param>
    /// <param name="keys"><c>[N, D]</c> from the momentum encoder (detached here)</param>
    /// <param name="queue"><c>[K, D]</c> keys of earlier batches (detached here)</param>
    /// <param name="temperature">T &gt; 0 (MoCo: 0.07; MoCo v2: 0.2)</param>
    /// <returns>scalar</returns>
    public static Tensor MoCo(Tensor queries, Tensor keys, Tensor queue, double temperature = DefaultTemperature) =>
        Loss(queries, keys.detach(), queue.detach(), temperature);
}
