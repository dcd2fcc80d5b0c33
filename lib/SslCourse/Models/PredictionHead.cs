using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// The predictor of BYOL (Grill et al., NeurIPS 2020) and SimSiam (Chen and He, CVPR 2021): a two-layer MLP on the
/// online branch that predicts the target branch's projection. Defaults are BYOL's (hidden 4096, output 256);
/// SimSiam uses a bottleneck (hidden 512 for output 2048).
/// </summary>
/// <remarks><c>[N, Features]</c> -> <c>[N, Features]</c> when in and out agree (they must for the loss).</remarks>
public sealed class PredictionHead : Module<Tensor, Tensor>
{
    readonly Sequential mlp;

    /// <summary>Builds the predictor.</summary>
    /// <param name="inFeatures">The projection's dimension (BYOL: 256).</param>
    /// <param name="hidden">Hidden width (BYOL: 4096; SimSiam: a quarter of the projection's width).</param>
    /// <param name="outFeatures">Output dimension, usually equal to <paramref name="inFeatures"/>.</param>
    public PredictionHead(int inFeatures = 256, int hidden = 4096, int outFeatures = 256) : base(nameof(PredictionHead))
    {
        Mlp.CheckSizes(inFeatures, hidden, outFeatures);
        mlp = Mlp.Build(inFeatures, hidden, outFeatures);
        RegisterComponents();
    }

    /// <summary><c>[N, In]</c> -> <c>[N, Out]</c>.</summary>
    public override Tensor forward(Tensor x) => mlp.call(x);
}
