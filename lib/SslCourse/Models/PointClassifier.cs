using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A per-point classifier for segmentation: the same two-layer MLP applied to every point's feature vector
/// (part segmentation of point clouds, as in PointNet's segmentation head, Qi et al., CVPR 2017).
/// </summary>
/// <remarks><c>[N, P, D]</c> -> logits <c>[N, P, Classes]</c>.</remarks>
public sealed class PointClassifier : Module<Tensor, Tensor>
{
    readonly Linear fc1, fc2;
    readonly LayerNorm norm;

    /// <summary>Number of classes per point.</summary>
    public int Classes { get; }

    /// <summary>Builds the head: Linear(D, hidden), LayerNorm, ReLU, Linear(hidden, classes).</summary>
    public PointClassifier(int inFeatures, int classes, int hidden = 128) : base(nameof(PointClassifier))
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "inFeatures must be at least 1.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be at least 1.");
        Classes = classes;
        fc1 = Linear(inFeatures, hidden);
        norm = LayerNorm(hidden);
        fc2 = Linear(hidden, classes);
        RegisterComponents();
    }

    /// <summary><c>[N, P, D]</c> -> <c>[N, P, Classes]</c> (Linear acts on the last dimension: every point alike).</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 3) throw new ArgumentException($"PointClassifier expects [N, P, D]; got [{string.Join(", ", x.shape)}].", nameof(x));
        return fc2.call(functional.relu(norm.call(fc1.call(x))));
    }
}
