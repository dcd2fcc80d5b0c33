using SslCourse.Losses;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// MoCo (He, Fan, Wu, Xie and Girshick, CVPR 2020), in its v2 form with a projection head: a query encoder trained by
/// InfoNCE against keys from a momentum encoder, with negatives from a FIFO queue of earlier keys.
/// </summary>
public sealed class MoCo : Module<Tensor, Tensor>, ISslMethod
{
    readonly Module<Tensor, Tensor> encoder, key_encoder;
    readonly ProjectionHead projector, key_projector;

    /// <summary>The queue of negatives.</summary>
    public FeatureQueue Queue { get; }
    /// <summary>The query encoder (kept for downstream tasks).</summary>
    public Module<Tensor, Tensor> Encoder => encoder;
    /// <summary>The query projector.</summary>
    public ProjectionHead Projector => projector;
    /// <summary>The key encoder and projector: an EMA of the query ones.</summary>
    public MomentumTarget Target { get; }
    /// <summary>InfoNCE temperature (MoCo: 0.07; MoCo v2: 0.2).</summary>
    public double Temperature { get; }

    /// <summary>Builds query and key networks and the queue.</summary>
    /// <param name="makeEncoder">builds a fresh encoder (called twice)</param>
    /// <param name="featureDim">encoder output dimension</param>
    /// <param name="queueSize">K (paper: 65,536)</param>
    /// <param name="projectionDim">key dimension (paper: 128)</param>
    /// <param name="hidden">projector hidden width (MoCo v2: 2048)</param>
    /// <param name="temperature">InfoNCE temperature</param>
    /// <param name="generator">fills the queue with random unit vectors at the start</param>
    public MoCo(Func<Module<Tensor, Tensor>> makeEncoder, int featureDim, int queueSize = 4096, int projectionDim = 128, int hidden = 2048,
        double temperature = 0.2, Generator? generator = null) : base(nameof(MoCo))
    {
        LossChecks.Temperature(temperature);
        encoder = makeEncoder();
        key_encoder = makeEncoder();
        projector = new ProjectionHead(featureDim, hidden, projectionDim);
        key_projector = new ProjectionHead(featureDim, hidden, projectionDim);
        RegisterComponents();
        Target = new MomentumTarget((encoder, key_encoder), (projector, key_projector));
        Temperature = temperature;
        Queue = new FeatureQueue(queueSize, projectionDim, generator ?? Course.Generator(0));
    }

    /// <summary>The query features: <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c>.</summary>
    public override Tensor forward(Tensor x) => encoder.call(x);

    /// <summary>InfoNCE of queries (view 1) against keys (view 2) and the queue -> scalar; then enqueues the keys.</summary>
    public Tensor Loss(Tensor queryView, Tensor keyView)
    {
        var device = ModelUtils.DeviceOf(encoder);
        var q = projector.call(encoder.call(queryView.to(device)));          // [N, P]
        Tensor k;
        using (no_grad()) k = key_projector.call(key_encoder.call(keyView.to(device))); // [N, P]
        Queue.Follow(device);
        var loss = InfoNce.MoCo(q, k, Queue.Keys(), Temperature);
        Queue.Enqueue(nn.functional.normalize(k, dim: 1));
        return loss;
    }

    /// <summary>Moves the key networks towards the query networks (MoCo: m = 0.999).</summary>
    public void UpdateTarget(double momentum = MomentumSchedule.MoCoMomentum) => Target.Update(momentum);

    /// <summary>The parameters the optimizer trains (query encoder and projector).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() => encoder.parameters().Concat(projector.parameters());

    MomentumTarget? ISslMethod.Target => Target;
}
