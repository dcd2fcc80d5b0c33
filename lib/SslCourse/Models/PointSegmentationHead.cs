using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A per-point classifier for part segmentation: the same small MLP applied to every point's feature
/// (PointNet's segmentation head, Qi et al. CVPR 2017, with one hidden layer). Logits over all global parts;
/// evaluation keeps only the parts of the shape's class.
/// </summary>
public sealed class PointSegmentationHead : Module<Tensor, Tensor>
{
    readonly Sequential mlp;

    /// <summary>Number of part classes.</summary>
    public int Classes { get; }

    /// <summary>Builds the head: features -> hidden (ReLU) -> classes.</summary>
    public PointSegmentationHead(int features, int classes, int hidden = 128) : base(nameof(PointSegmentationHead))
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, $"features must be positive, got {features}.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"classes must be at least 2, got {classes}.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, $"hidden must be positive, got {hidden}.");
        Classes = classes;
        mlp = Sequential(Linear(features, hidden), ReLU(), Linear(hidden, classes));
        RegisterComponents();
    }

    /// <summary>Part logits: features [B, N, D] -> [B, N, Classes].</summary>
    public override Tensor forward(Tensor features)
    {
        if (features.dim() != 3)
            throw new ArgumentException($"features: expected [B, N, D], got [{string.Join(", ", features.shape)}].", nameof(features));
        return mlp.call(features);
    }
}
