using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Models;

/// <summary>
/// SimSiam (Chen and He, CVPR 2021) with the two switches of its ablations (table 1 and figure 2): the predictor h
/// and the stop-gradient on the target branch. With both on it is SimSiam; without the stop-gradient, or without the
/// predictor, the outputs collapse to a constant (the paper reports 0.1% linear accuracy for each).
/// The loss is <c>-1/2 cos(p1, t2) - 1/2 cos(p2, t1)</c> with p = h(z) (or z without predictor) and t = sg(z) (or z).
/// </summary>
public sealed class SimSiamAblation : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> encoder;
    readonly ProjectionHead projector;
    readonly PredictionHead predictor;

    /// <summary>The encoder f (kept for downstream tasks).</summary>
    public Module<Tensor, Tensor> Encoder => encoder;
    /// <summary>Use the predictor h on the online branch.</summary>
    public bool UsePredictor { get; }
    /// <summary>Stop the gradient through the target branch.</summary>
    public bool StopGradient { get; }

    /// <summary>Wires encoder, projector and (used or not) predictor.</summary>
    /// <param name="encoder"><c>[N, C, H, W]</c> -> <c>[N, featureDim]</c></param>
    /// <param name="featureDim">encoder output dimension</param>
    /// <param name="projectionDim">z's dimension (paper: 2048)</param>
    /// <param name="predictorHidden">predictor bottleneck (paper: 512)</param>
    /// <param name="usePredictor">false removes h (p = z)</param>
    /// <param name="stopGradient">false lets gradients flow through both branches</param>
    public SimSiamAblation(Module<Tensor, Tensor> encoder, int featureDim, int projectionDim = 2048, int predictorHidden = 512,
        bool usePredictor = true, bool stopGradient = true) : base(nameof(SimSiamAblation))
    {
        this.encoder = encoder;
        projector = new ProjectionHead(featureDim, projectionDim, projectionDim);
        predictor = new PredictionHead(projectionDim, predictorHidden, projectionDim);
        UsePredictor = usePredictor;
        StopGradient = stopGradient;
        RegisterComponents();
    }

    /// <summary>The features h = f(x): <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c>.</summary>
    public override Tensor forward(Tensor x) => encoder.call(x);

    /// <summary>The projections z = g(f(x)): <c>[N, C, H, W]</c> -> <c>[N, projectionDim]</c>.</summary>
    public Tensor Project(Tensor x) => projector.call(encoder.call(x));

    /// <summary>The symmetric negative cosine of two views <c>[N, C, H, W]</c> -> scalar in [-1, 1].</summary>
    public Tensor Loss(Tensor view1, Tensor view2)
    {
        var z = Project(cat([view1, view2], 0));          // [2N, P]
        var p = UsePredictor ? predictor.call(z) : z;     // [2N, P]
        var t = StopGradient ? z.detach() : z;            // [2N, P]
        var ps = p.chunk(2, 0);
        var ts = t.chunk(2, 0);
        return -0.5 * (cosine_similarity(ps[0], ts[1], dim: 1).mean() + cosine_similarity(ps[1], ts[0], dim: 1).mean());
    }

    /// <summary>The parameters that receive gradients (the predictor's only when it is used).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> TrainedParameters() =>
        UsePredictor ? parameters() : encoder.parameters().Concat(projector.parameters());
}
