using SslCourse.Losses;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// SimSiam (Chen and He, CVPR 2021): BYOL without the momentum target. One encoder and projector f give z for both
/// views, a predictor h gives p = h(z), and the loss is the symmetrised negative cosine with stop-gradient on z.
/// The two switches of the paper's ablations (table 1 and figure 2) are options: without the stop-gradient
/// (<see cref="StopGradient"/> = false) or without the predictor (<see cref="UsePredictor"/> = false) the outputs collapse
/// to a constant (the paper reports 0.1% linear accuracy for each). With the switches the loss is
/// <c>-1/2 cos(p1, t2) - 1/2 cos(p2, t1)</c>, p = h(z) (or z without predictor), t = sg(z) (or z).
/// </summary>
public sealed class SimSiam : Module<Tensor, Tensor>, ISslMethod
{
    readonly Module<Tensor, Tensor> encoder;
    readonly ProjectionHead projector;
    readonly PredictionHead predictor;

    /// <summary>The encoder kept for downstream tasks.</summary>
    public Module<Tensor, Tensor> Encoder => encoder;
    /// <summary>The projector g.</summary>
    public ProjectionHead Projector => projector;
    /// <summary>The predictor h (SimSiam's recipe trains it at a fixed learning rate: <see cref="Training.SimSiamRecipe"/>).</summary>
    public PredictionHead Predictor => predictor;

    /// <summary>Stop the gradient through z (the paper's point; set false to watch collapse).</summary>
    public bool StopGradient { get; set; }

    /// <summary>Use the predictor h on the online branch (false: p = z, which collapses).</summary>
    public bool UsePredictor { get; }

    /// <summary>Wires encoder, projector and predictor.</summary>
    /// <param name="encoder"><c>[N, C, H, W]</c> -> <c>[N, featureDim]</c></param>
    /// <param name="featureDim">encoder output dimension</param>
    /// <param name="projectionDim">z's dimension (paper: 2048)</param>
    /// <param name="predictorHidden">predictor bottleneck (paper: 512)</param>
    /// <param name="usePredictor">false removes h (p = z): the ablation of the paper's table 1</param>
    /// <param name="stopGradient">false lets gradients flow through both branches: the ablation of figure 2</param>
    public SimSiam(Module<Tensor, Tensor> encoder, int featureDim, int projectionDim = 2048, int predictorHidden = 512,
        bool usePredictor = true, bool stopGradient = true) : base(nameof(SimSiam))
    {
        UsePredictor = usePredictor;
        StopGradient = stopGradient;
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
        var z = Project(cat([view1, view2], 0).to(ModelUtils.DeviceOf(encoder))); // [2N, P], on the model's device
        var p = UsePredictor ? predictor.call(z) : z;                  // [2N, P]
        var zs = z.chunk(2, 0);
        var ps = p.chunk(2, 0);
        if (StopGradient && UsePredictor) return NegativeCosine.SimSiam(ps[0], zs[0], ps[1], zs[1]);
        var ts = StopGradient ? z.detach().chunk(2, 0) : zs;           // 2 x [N, P]
        return -0.5 * (nn.functional.cosine_similarity(ps[0], ts[1], dim: 1).mean() + nn.functional.cosine_similarity(ps[1], ts[0], dim: 1).mean());
    }

    /// <summary>The projections z = g(f(x)): <c>[N, C, H, W]</c> -> <c>[N, projectionDim]</c>.</summary>
    public Tensor Project(Tensor x) => projector.call(encoder.call(x));

    /// <summary>The parameters that receive gradients (the predictor's only when it is used).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() =>
        UsePredictor ? parameters() : encoder.parameters().Concat(projector.parameters());

    /// <summary>SimSiam has no momentum target.</summary>
    public MomentumTarget? Target => null;
}
