using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>Instance retrieval between two sets of features of the same N images (e.g. two views).</summary>
public static class PairRetrieval
{
    /// <summary>The fraction of rows i of <paramref name="a"/> whose most cosine-similar row of <paramref name="b"/> is
    /// row i (chance: 1/N).</summary>
    /// <param name="a"><c>[N, D]</c></param>
    /// <param name="b"><c>[N, D]</c></param>
    public static double Top1(Tensor a, Tensor b)
    {
        if (a.dim() != 2 || !a.shape.SequenceEqual(b.shape)) throw new ArgumentException($"a and b must be [N, D] of one shape; got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var sim = nn.functional.normalize(a.to(ScalarType.Float32), dim: 1).matmul(nn.functional.normalize(b.to(ScalarType.Float32), dim: 1).T); // [N, N]
        var hit = sim.argmax(1).eq(arange(a.shape[0], dtype: ScalarType.Int64));
        return hit.to(ScalarType.Float32).mean().item<float>();
    }
}
