using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>Entropy of predicted class distributions, the quantity entropy minimisation drives down on unlabelled
/// data (Grandvalet and Bengio, NeurIPS 2004).</summary>
public static class Entropy
{
    /// <summary>Mean entropy in nats: <c>-(1/N) sum_n sum_c p_nc log p_nc</c>, p = softmax(logits).</summary>
    /// <param name="logits"><c>[N, C]</c></param>
    /// <returns>scalar in [0, log C]</returns>
    public static Tensor Mean(Tensor logits) => PerSample(logits).mean();

    /// <summary>Entropy of each prediction.</summary>
    /// <param name="logits"><c>[N, C]</c></param>
    /// <returns><c>[N]</c></returns>
    public static Tensor PerSample(Tensor logits)
    {
        LossChecks.Rank(logits, 2, nameof(logits), "[N, C]");
        var logp = log_softmax(logits, 1); // [N, C]
        return -(logp.exp() * logp).sum(1);
    }
}
