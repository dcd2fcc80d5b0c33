using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Training;

/// <summary>
/// The memory bank of instance discrimination (Wu, Xiong, Yu and Lin, CVPR 2018): one unit vector per training
/// image, refreshed as a running average when the image is seen (<c>v = normalize(m v + (1 - m) f)</c>, m = 0.5),
/// from which negatives are drawn at random (4,096 in the paper).
/// </summary>
public sealed class MemoryBank : IDisposable
{
    readonly Tensor bank; // [N, D]

    /// <summary>The paper's momentum.</summary>
    public const double DefaultMomentum = 0.5;

    /// <summary>Number of entries N.</summary>
    public int Size { get; }
    /// <summary>D, the feature dimension.</summary>
    public int Dim { get; }
    /// <summary>m in [0, 1]: the weight kept by the old entry.</summary>
    public double Momentum { get; }

    /// <summary>A bank of <paramref name="size"/> random unit vectors drawn from <paramref name="generator"/>.</summary>
    public MemoryBank(int size, int dim, Generator generator, double momentum = DefaultMomentum)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be at least 1.");
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be at least 1.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1].");
        (Size, Dim, Momentum) = (size, dim, momentum);
        using var r = randn(size, dim, generator: generator);
        bank = normalize(r, dim: 1);
    }

    /// <summary>The entries of <paramref name="indices"/> <c>[B]</c> -> <c>[B, D]</c> (a copy).</summary>
    public Tensor Get(Tensor indices) => bank.index_select(0, indices.to_type(ScalarType.Int64));

    /// <summary>Blends new features into their entries: <c>v_i = normalize(m v_i + (1 - m) f_i)</c>.</summary>
    /// <param name="indices"><c>[B]</c> int64 dataset indices (distinct)</param>
    /// <param name="features"><c>[B, D]</c> (normalised here, detached)</param>
    public void Update(Tensor indices, Tensor features)
    {
        if (features.dim() != 2 || features.shape[1] != Dim || indices.dim() != 1 || indices.shape[0] != features.shape[0])
            throw new ArgumentException($"expected indices [B] and features [B, {Dim}]; got [{string.Join(", ", indices.shape)}] and [{string.Join(", ", features.shape)}].");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var idx = indices.to_type(ScalarType.Int64);
        var old = bank.index_select(0, idx);                                                   // [B, D]
        var blended = normalize(old * Momentum + normalize(features.detach(), dim: 1) * (1 - Momentum), dim: 1);
        bank.index_copy_(0, idx, blended);
    }

    /// <summary><paramref name="count"/> entries drawn uniformly with replacement: <c>[count, D]</c>.</summary>
    public Tensor SampleNegatives(int count, Generator generator)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        using var idx = randint(0, Size, [count], generator: generator);
        return bank.index_select(0, idx);
    }

    /// <inheritdoc/>
    public void Dispose() => bank.Dispose();
}
