using SslCourse.Losses;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// BYOL (Grill et al., NeurIPS 2020): an online network (encoder, projector, predictor) learns to predict the
/// projection a slowly moving target network (an EMA of the online encoder and projector) gives another view.
/// No negatives; the predictor and the stop-gradient keep it from collapsing.
/// </summary>
public sealed class Byol : Module<Tensor, Tensor>, ISslMethod
{
    readonly Module<Tensor, Tensor> encoder, target_encoder;
    readonly ProjectionHead projector, target_projector;
    readonly PredictionHead predictor;

    /// <summary>The online encoder (the one kept for downstream tasks).</summary>
    public Module<Tensor, Tensor> Encoder => encoder;

    /// <summary>The online projector g.</summary>
    public ProjectionHead Projector => projector;

    /// <summary>The target network: an EMA of the online encoder and projector.</summary>
    public MomentumTarget Target { get; }

    /// <summary>Builds online and target networks; the target starts as a copy and never receives gradients.</summary>
    /// <param name="makeEncoder">builds a fresh encoder (called twice)</param>
    /// <param name="featureDim">the encoder's output dimension</param>
    /// <param name="hidden">hidden width of projector and predictor (paper: 4096)</param>
    /// <param name="projectionDim">projection dimension (paper: 256)</param>
    public Byol(Func<Module<Tensor, Tensor>> makeEncoder, int featureDim, int hidden = 4096, int projectionDim = 256) : base(nameof(Byol))
    {
        encoder = makeEncoder();
        target_encoder = makeEncoder();
        projector = new ProjectionHead(featureDim, hidden, projectionDim);
        target_projector = new ProjectionHead(featureDim, hidden, projectionDim);
        predictor = new PredictionHead(projectionDim, hidden, projectionDim);
        RegisterComponents();
        Target = new MomentumTarget((encoder, target_encoder), (projector, target_projector));
    }

    /// <summary>The online features: <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c>.</summary>
    public override Tensor forward(Tensor x) => encoder.call(x);

    /// <summary>BYOL's symmetrised loss for two views <c>[N, C, H, W]</c> -> scalar in [0, 8].</summary>
    public Tensor Loss(Tensor view1, Tensor view2)
    {
        var both = cat([view1, view2], 0).to(ModelUtils.DeviceOf(encoder)); // [2N, C, H, W], on the model's device
        var p = predictor.call(projector.call(encoder.call(both))).chunk(2, 0); // 2 x [N, P]
        Tensor[] z;
        using (no_grad()) z = target_projector.call(target_encoder.call(both)).chunk(2, 0);
        return NegativeCosine.ByolSymmetric(p[0], z[0], p[1], z[1]);
    }

    /// <summary>Moves the target towards the online network: <c>xi = m xi + (1 - m) theta</c>
    /// (use <c>Training.MomentumSchedule.Cosine</c> for m).</summary>
    public void UpdateTarget(double momentum) => Target.Update(momentum);

    /// <summary>The parameters the optimizer trains (online encoder, projector, predictor).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() =>
        encoder.parameters().Concat(projector.parameters()).Concat(predictor.parameters());

    MomentumTarget? ISslMethod.Target => Target;
}
