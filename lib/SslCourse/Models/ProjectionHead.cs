using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// The MLP that maps encoder features h to the space z where a contrastive loss is taken: Linear, BatchNorm, ReLU,
/// Linear. Defaults are SimCLR's (Chen et al., ICML 2020): hidden 2048, output 128. The features used downstream
/// are h, before this head.
/// </summary>
/// <remarks><c>[N, InFeatures]</c> -> <c>[N, OutFeatures]</c>.</remarks>
public sealed class ProjectionHead : Module<Tensor, Tensor>
{
    readonly Sequential mlp;

    /// <summary>Output dimension.</summary>
    public int OutFeatures { get; }

    /// <summary>Builds the head.</summary>
    /// <param name="inFeatures">Encoder output dimension.</param>
    /// <param name="hidden">Hidden width (SimCLR: 2048).</param>
    /// <param name="outFeatures">Output dimension (SimCLR: 128).</param>
    public ProjectionHead(int inFeatures, int hidden = 2048, int outFeatures = 128) : base(nameof(ProjectionHead))
    {
        Mlp.CheckSizes(inFeatures, hidden, outFeatures);
        OutFeatures = outFeatures;
        mlp = Mlp.Build(inFeatures, hidden, outFeatures);
        RegisterComponents();
    }

    /// <summary><c>[N, InFeatures]</c> -> <c>[N, OutFeatures]</c>.</summary>
    public override Tensor forward(Tensor x) => mlp.call(x);
}

/// <summary>Shared construction of the two-layer heads.</summary>
static class Mlp
{
    public static void CheckSizes(int inFeatures, int hidden, int outFeatures)
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "inFeatures must be at least 1.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be at least 1.");
        if (outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "outFeatures must be at least 1.");
    }

    /// <summary>Linear(in, hidden) - BatchNorm1d - ReLU - Linear(hidden, out).</summary>
    public static Sequential Build(int inFeatures, int hidden, int outFeatures) => Sequential(
        ("0", Linear(inFeatures, hidden, hasBias: false)),
        ("1", BatchNorm1d(hidden)),
        ("2", ReLU(inplace: true)),
        ("3", Linear(hidden, outFeatures)));
}
