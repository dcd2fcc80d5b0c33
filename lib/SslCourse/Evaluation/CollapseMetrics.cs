using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Evaluation;

/// <summary>
/// Measures of representational collapse for non-contrastive methods. SimSiam (Chen and He, CVPR 2021, figure 2)
/// watches the standard deviation of the L2-normalised outputs: for outputs spread over the unit sphere of D
/// dimensions each coordinate has a std of about <c>1/sqrt(D)</c>; for collapsed outputs (every input mapped to the
/// same vector) it is 0.
/// </summary>
public static class CollapseMetrics
{
    /// <summary>Mean over dimensions of the per-dimension standard deviation (over samples) of the L2-normalised rows.</summary>
    /// <param name="outputs"><c>[N, D]</c> with N &gt;= 2</param>
    /// <returns>a number in [0, 1/sqrt(D)] in practice: about <c>1/sqrt(D)</c> when spread, 0 when collapsed</returns>
    public static double NormalisedStd(Tensor outputs)
    {
        if (outputs.dim() != 2) throw new ArgumentException($"outputs must be [N, D]; got [{string.Join(", ", outputs.shape)}].", nameof(outputs));
        if (outputs.shape[0] < 2) throw new ArgumentException($"outputs needs at least 2 rows for a standard deviation; got N = {outputs.shape[0]}.", nameof(outputs));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var z = normalize(outputs.detach().to(ScalarType.Float32), dim: 1); // [N, D] unit rows
        return z.std(0).mean().item<float>();                                // [N, D] -> [D] -> scalar
    }

    /// <summary>The std of <see cref="NormalisedStd"/> for outputs spread evenly over the sphere: <c>1/sqrt(D)</c>.</summary>
    /// <param name="dim">D &gt;= 1</param>
    public static double SpreadLevel(int dim)
    {
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be at least 1.");
        return 1 / Math.Sqrt(dim);
    }

    /// <summary>A collapse detector: true when <see cref="NormalisedStd"/> is below <paramref name="fraction"/> of
    /// <see cref="SpreadLevel"/>, i.e. the outputs have shrunk towards one point.</summary>
    /// <param name="outputs"><c>[N, D]</c></param>
    /// <param name="fraction">in (0, 1]; 0.1 by default</param>
    public static bool IsCollapsed(Tensor outputs, double fraction = 0.1)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must be in (0, 1].");
        return NormalisedStd(outputs) < fraction * SpreadLevel((int)outputs.shape[1]);
    }

    /// <summary>The mean cosine similarity between distinct outputs (1 when collapsed, near 0 when spread).</summary>
    /// <param name="outputs"><c>[N, D]</c> with N &gt;= 2</param>
    public static double MeanPairwiseCosine(Tensor outputs)
    {
        if (outputs.dim() != 2 || outputs.shape[0] < 2) throw new ArgumentException($"outputs must be [N, D] with N >= 2; got [{string.Join(", ", outputs.shape)}].", nameof(outputs));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = outputs.shape[0];
        var z = normalize(outputs.detach().to(ScalarType.Float32), dim: 1); // [N, D]
        var sim = z.matmul(z.T);                                             // [N, D] x [D, N] -> [N, N]
        double total = sim.sum().item<float>() - sim.diagonal().sum().item<float>();
        return total / (n * (n - 1));
    }
}
