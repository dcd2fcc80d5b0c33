using SslCourse.Losses;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// SimSiam (Chen and He, CVPR 2021): BYOL without the momentum target. One encoder and projector f give z for both
/// views, a predictor h gives p = h(z), and the loss is the symmetrised negative cosine with stop-gradient on z.
/// Remove the stop-gradient (<see cref="StopGradient"/> = false) and it collapses.
/// </summary>
public sealed class SimSiam : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> encoder;
    readonly ProjectionHead projector;
    readonly PredictionHead predictor;

    /// <summary>The encoder kept for downstream tasks.</summary>
    public Module<Tensor, Tensor> Encoder => encoder;
    /// <summary>Stop the gradient through z (the paper's point; set false to watch collapse).</summary>
    public bool StopGradient { get; set; } = true;

    /// <summary>Wires encoder, projector and predictor.</summary>
    /// <param name="encoder"><c>[N, C, H, W]</c> -> <c>[N, featureDim]</c></param>
    /// <param name="featureDim">encoder output dimension</param>
    /// <param name="projectionDim">z's dimension (paper: 2048)</param>
    /// <param name="predictorHidden">predictor bottleneck (paper: 512)</param>
    public SimSiam(Module<Tensor, Tensor> encoder, int featureDim, int projectionDim = 2048, int predictorHidden = 512) : base(nameof(SimSiam))
    {
        this.encoder = encoder;
        projector = new ProjectionHead(featureDim, projectionDim, projectionDim);
        predictor = new PredictionHead(projectionDim, predictorHidden, projectionDim);
        RegisterComponents();
    }

    /// <summary>The features: <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c>.</summary>
    public override Tensor forward(Tensor x) => encoder.call(x);

    /// <summary>The symmetric loss of two views <c>[N, C, H, W]</c> -> scalar in [-1, 1].</summary>
    public Tensor Loss(Tensor view1, Tensor view2)
    {
        var z = projector.call(encoder.call(cat([view1, view2], 0))); // [2N, P]
        var p = predictor.call(z);                                     // [2N, P]
        var zs = z.chunk(2, 0);
        var ps = p.chunk(2, 0);
        if (StopGradient) return NegativeCosine.SimSiam(ps[0], zs[0], ps[1], zs[1]);
        return -0.5 * (nn.functional.cosine_similarity(ps[0], zs[1], dim: 1).mean() + nn.functional.cosine_similarity(ps[1], zs[0], dim: 1).mean());
    }
}
