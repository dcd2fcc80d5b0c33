using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// The non-contrastive losses: a prediction p is pulled towards a target z through which no gradient flows
/// (stop-gradient). SimSiam (Chen and He, CVPR 2021): <c>D(p, z) = -cos(p, sg(z))</c>, symmetrised as
/// <c>D(p1, z2)/2 + D(p2, z1)/2</c>. BYOL (Grill et al., NeurIPS 2020): <c>||p/|p| - z/|z|||^2 = 2 - 2 cos(p, z)</c>,
/// summed over the two view orders.
/// </summary>
public static class NegativeCosine
{
    /// <summary>SimSiam's D: <c>-(1/N) sum_n cos(p_n, sg(z_n))</c>.</summary>
    /// <param name="p"><c>[N, D]</c> predictions</param>
    /// <param name="z"><c>[N, D]</c> targets (detached here)</param>
    /// <returns>scalar in [-1, 1]</returns>
    public static Tensor Loss(Tensor p, Tensor z)
    {
        LossChecks.Rank(p, 2, nameof(p), "[N, D]");
        LossChecks.SameShape(p, z, nameof(p), nameof(z));
        return -cosine_similarity(p, z.detach(), dim: 1).mean(); // [N] -> scalar
    }

    /// <summary>SimSiam's symmetric loss: <c>D(p1, z2)/2 + D(p2, z1)/2</c>; all <c>[N, D]</c>; scalar in [-1, 1].</summary>
    public static Tensor SimSiam(Tensor p1, Tensor z1, Tensor p2, Tensor z2) => 0.5 * Loss(p1, z2) + 0.5 * Loss(p2, z1);

    /// <summary>BYOL's loss for one view order: <c>(1/N) sum_n (2 - 2 cos(p_n, sg(z_n)))</c>.</summary>
    /// <param name="p"><c>[N, D]</c> online predictions</param>
    /// <param name="z"><c>[N, D]</c> target projections (detached here)</param>
    /// <returns>scalar in [0, 4]</returns>
    public static Tensor Byol(Tensor p, Tensor z) => 2 + 2 * Loss(p, z);

    /// <summary>BYOL's symmetrised loss: <c>L(p1, z2) + L(p2, z1)</c>; all <c>[N, D]</c>; scalar in [0, 8].</summary>
    public static Tensor ByolSymmetric(Tensor p1, Tensor z1, Tensor p2, Tensor z2) => Byol(p1, z2) + Byol(p2, z1);
}
