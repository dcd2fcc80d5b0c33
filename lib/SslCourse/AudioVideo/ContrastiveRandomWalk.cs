using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// The contrastive random walk (Jabri, Owens and Efros, "Space-Time Correspondence as a Contrastive Random Walk",
/// NeurIPS 2020): the patches of consecutive frames form a graph whose transition probabilities are softmaxes of
/// feature similarity. A walker that goes forward k frames and back again (a palindrome) should come home: the loss is
/// the cross-entropy of the round trip's return probability, summed over the cycle lengths k = 1..T-1. Learning to
/// come home means learning which patch of the next frame is the same piece of the scene.
/// </summary>
public static class ContrastiveRandomWalk
{
    /// <summary>Row-stochastic transitions between consecutive frames: A_t = softmax(x_t x_{t+1}^T / temperature).</summary>
    /// <param name="nodes">[B, T, P, D], L2-normalised along D.</param>
    /// <param name="temperature">Softmax temperature (&gt; 0).</param>
    /// <returns>[B, T-1, P, P].</returns>
    public static Tensor Transitions(Tensor nodes, double temperature)
    {
        using var scope = NewDisposeScope();
        var a = nodes.narrow(1, 0, nodes.shape[1] - 1);                                    // [B, T-1, P, D]
        var b = nodes.narrow(1, 1, nodes.shape[1] - 1);                                    // [B, T-1, P, D]
        return matmul(a, b.transpose(2, 3)).div(temperature).softmax(-1).MoveToOuterDisposeScope();   // [B, T-1, P, P]
    }

    /// <summary>The palindrome loss. Features are L2-normalised here.</summary>
    /// <param name="nodes">[B, T, P, D]: P patch features for each of T frames of B clips (T &gt;= 2).</param>
    /// <param name="temperature">Softmax temperature (0.07 in the paper).</param>
    /// <returns>Scalar: mean over k = 1..T-1 of -mean log P(walk t0 -> tk -> t0 returns to its start).</returns>
    public static Tensor Loss(Tensor nodes, double temperature = 0.07)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive.");
        if (nodes.dim() != 4 || nodes.shape[1] < 2)
            throw new ArgumentException($"nodes: expected [B, T >= 2, P, D], got [{string.Join(",", nodes.shape)}].", nameof(nodes));
        using var scope = NewDisposeScope();
        long B = nodes.shape[0], T = nodes.shape[1], P = nodes.shape[2];
        var x = nn.functional.normalize(nodes, dim: -1);
        var fwd = Transitions(x, temperature);                                             // [B, T-1, P, P], t -> t+1
        var bwd = Transitions(x.flip(1), temperature).flip(1);                             // [B, T-1, P, P], t+1 -> t
        var target = arange(P, dtype: ScalarType.Int64, device: nodes.device).repeat(B);   // [B*P]
        var walk = fwd.select(1, 0);                                                       // [B, P, P] 0 -> 1
        Tensor total = zeros(1, device: nodes.device).squeeze();
        for (long k = 1; k < T; k++)
        {
            if (k > 1) walk = matmul(walk, fwd.select(1, k - 1));                         // 0 -> k
            var round = walk;
            for (long s = k - 1; s >= 0; s--) round = matmul(round, bwd.select(1, s));      // ... -> k -> 0
            var logp = round.clamp_min(1e-20).log().reshape(B * P, P);                    // [B*P, P]
            total = total + nn.functional.nll_loss(logp, target);
        }
        return total.div(T - 1).MoveToOuterDisposeScope();
    }
}
