using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// Random per-shape changes of a batch of point clouds that keep every point's labels: a scale per axis, a turn
/// about the vertical axis and a little noise per point (the usual PointNet training augmentation, Qi et al.
/// CVPR 2017). Every shape of the batch draws its own values from the generator.
/// </summary>
public static class PointAugment
{
    /// <summary>Augments points [B, N, 3] -> [B, N, 3].</summary>
    /// <param name="points">The clouds (z up).</param>
    /// <param name="generator">Seeded generator for all random values.</param>
    /// <param name="scale">Each axis is scaled by a factor uniform in [1 - scale, 1 + scale].</param>
    /// <param name="maxTurn">Largest turn about z, radians (uniform in [-maxTurn, maxTurn]).</param>
    /// <param name="jitter">Standard deviation of the per-point Gaussian noise.</param>
    public static Tensor Apply(Tensor points, Generator generator, double scale = 0.2, double maxTurn = 0.25, double jitter = 0.01)
    {
        if (!(scale >= 0 && scale < 1)) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"scale must be in [0, 1), got {scale}.");
        if (!(maxTurn >= 0)) throw new ArgumentOutOfRangeException(nameof(maxTurn), maxTurn, $"maxTurn must be non-negative, got {maxTurn}.");
        if (!(jitter >= 0)) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, $"jitter must be non-negative, got {jitter}.");
        if (points.dim() != 3 || points.shape[2] != 3)
            throw new ArgumentException($"points: expected [B, N, 3], got [{string.Join(", ", points.shape)}].", nameof(points));
        using var scope = NewDisposeScope();
        long b = points.shape[0];
        var s = 1 - scale + 2 * scale * rand(new long[] { b, 1, 3 }, generator: generator);          // [B, 1, 3]
        var angle = (2 * rand(new long[] { b }, generator: generator) - 1) * maxTurn;                // [B]
        var c = angle.cos(); var sn = angle.sin(); var zero = zeros_like(c); var one = ones_like(c);
        // Rotation about z as row vectors: p' = p R^T with R = [[c, -s, 0], [s, c, 0], [0, 0, 1]].
        var rt = stack(new[] { c, sn, zero, -sn, c, zero, zero, zero, one }, 1).reshape(b, 3, 3);  // [B, 9] -> [B, 3, 3] (R^T)
        var turned = (points * s).matmul(rt);                                                          // [B, N, 3] @ [B, 3, 3]
        var noise = randn(points.shape, generator: generator) * jitter;                                // [B, N, 3]
        return (turned + noise).to_type(points.dtype).MoveToOuterDisposeScope();
    }
}
