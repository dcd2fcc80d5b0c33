using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>A linear classifier on feature vectors (the linear-probe head, and every pretext task's head:
/// 4 rotations, 8 context positions, N jigsaw permutations).</summary>
/// <remarks><c>[N, D]</c> -> logits <c>[N, Classes]</c>.</remarks>
public sealed class LinearClassifier : Module<Tensor, Tensor>
{
    readonly Linear fc;

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Builds a <paramref name="inFeatures"/> -> <paramref name="classes"/> linear layer.</summary>
    public LinearClassifier(int inFeatures, int classes) : base(nameof(LinearClassifier))
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "inFeatures must be at least 1.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        Classes = classes;
        fc = Linear(inFeatures, classes);
        RegisterComponents();
    }

    /// <summary><c>[N, D]</c> -> <c>[N, Classes]</c>.</summary>
    public override Tensor forward(Tensor x) => fc.call(x);
}
