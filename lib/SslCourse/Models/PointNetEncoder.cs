using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A PointNet-style point-cloud encoder with per-point features (Qi, Su, Mo, Guibas, "PointNet: Deep Learning on
/// Point Sets for 3D Classification and Segmentation", CVPR 2017, segmentation network without the T-Nets: the
/// course's shapes are aligned). A shared MLP (1x1 convolutions) maps every point on its own to local features;
/// a second shared MLP and a max over the points give one global feature of the whole shape; the global feature is
/// concatenated back to every point's local feature and a last shared MLP mixes them into per-point features.
/// The max makes the encoder independent of the order of the points.
/// Widths default to far below the paper's (local 64-64 as in PointNet, global 64-128-128 instead of 64-128-1024,
/// fused 128-64 instead of 512-256-128), small enough to train on a CPU in minutes.
/// </summary>
public sealed class PointNetEncoder : Module<Tensor, Tensor>
{
    readonly Sequential local;
    readonly Sequential global;
    readonly Sequential fuse;

    /// <summary>Width of the per-point features.</summary>
    public int Features { get; }
    /// <summary>Width of the max-pooled global feature.</summary>
    public int GlobalFeatures { get; }

    /// <summary>Builds the encoder.</summary>
    /// <param name="features">Per-point output width (default 64).</param>
    /// <param name="globalFeatures">Global feature width (default 128; PointNet: 1024).</param>
    /// <param name="localFeatures">Local feature width (default 64, as in PointNet).</param>
    /// <param name="hidden">Width of the fusing layer (default 128; PointNet: 512, 256).</param>
    public PointNetEncoder(int features = 64, int globalFeatures = 128, int localFeatures = 64, int hidden = 128) : base(nameof(PointNetEncoder))
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, $"features must be positive, got {features}.");
        if (globalFeatures < 1) throw new ArgumentOutOfRangeException(nameof(globalFeatures), globalFeatures, $"globalFeatures must be positive, got {globalFeatures}.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, $"hidden must be positive, got {hidden}.");
        if (localFeatures < 1) throw new ArgumentOutOfRangeException(nameof(localFeatures), localFeatures, $"localFeatures must be positive, got {localFeatures}.");
        Features = features; GlobalFeatures = globalFeatures;
        local = Sequential(Shared(3, localFeatures), Shared(localFeatures, localFeatures));
        global = Sequential(Shared(localFeatures, 64), Shared(64, 128), Shared(128, globalFeatures));
        fuse = Sequential(Shared(localFeatures + globalFeatures, hidden), Conv1d(hidden, features, 1));
        RegisterComponents();
    }

    // One layer of a shared MLP: the same linear map at every point (a 1x1 convolution), batch norm, ReLU.
    static Sequential Shared(int input, int output) => Sequential(Conv1d(input, output, 1), BatchNorm1d(output), ReLU());

    /// <summary>Per-point features: points [B, N, 3] -> features [B, N, Features].</summary>
    public override Tensor forward(Tensor points)
    {
        CheckPoints(points);
        using var scope = NewDisposeScope();
        var x = points.transpose(1, 2);                                   // [B, N, 3] -> [B, 3, N]
        var f = local.call(x);                                            // [B, L, N]
        var g = global.call(f).max(2).values;                             // [B, G, N] -> [B, G]
        var joined = cat(new[] { f, g.unsqueeze(2).expand(-1, -1, f.shape[2]) }, 1); // [B, L + G, N]
        return fuse.call(joined).transpose(1, 2).MoveToOuterDisposeScope(); // [B, F, N] -> [B, N, F]
    }

    /// <summary>The max-pooled global feature: points [B, N, 3] -> [B, GlobalFeatures].</summary>
    public Tensor GlobalFeature(Tensor points)
    {
        CheckPoints(points);
        using var scope = NewDisposeScope();
        var f = local.call(points.transpose(1, 2));                       // [B, L, N]
        return global.call(f).max(2).values.MoveToOuterDisposeScope();    // [B, G]
    }

    /// <summary>Copies every weight and batch-norm statistic of <paramref name="source"/> (same widths) into this
    /// encoder, e.g. to fine-tune several copies of one pre-trained encoder.</summary>
    /// <exception cref="ArgumentException">The widths differ.</exception>
    public void CopyFrom(PointNetEncoder source)
    {
        using var noGrad = no_grad();
        var mine = state_dict();
        var theirs = source.state_dict();
        foreach (var (name, tensor) in mine)
        {
            if (!theirs.TryGetValue(name, out var other) || !other.shape.SequenceEqual(tensor.shape))
                throw new ArgumentException($"source: '{name}' is missing or has another shape; build both encoders with the same widths.", nameof(source));
            tensor.copy_(other);
        }
    }

    static void CheckPoints(Tensor points)
    {
        if (points.dim() != 3 || points.shape[2] != 3)
            throw new ArgumentException($"points: expected [B, N, 3], got [{string.Join(", ", points.shape)}].", nameof(points));
    }
}
