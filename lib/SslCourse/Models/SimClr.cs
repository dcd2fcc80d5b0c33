using SslCourse.Losses;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// SimCLR (Chen, Kornblith, Norouzi and Hinton, ICML 2020): an encoder f, a projection head g, and NT-Xent between
/// the projections z = g(f(x)) of two views of each image. Downstream tasks use h = f(x), before the head.
/// </summary>
public sealed class SimClr : Module<Tensor, Tensor>, ISslMethod
{
    readonly Module<Tensor, Tensor> encoder;
    readonly ProjectionHead projector;

    /// <summary>The encoder f.</summary>
    public Module<Tensor, Tensor> Encoder => encoder;
    /// <summary>The projection head g.</summary>
    public ProjectionHead Projector => projector;
    /// <summary>NT-Xent temperature.</summary>
    public double Temperature { get; }

    /// <summary>Wires an encoder with a projection head.</summary>
    /// <param name="encoder">f: <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c></param>
    /// <param name="featureDim">f's output dimension</param>
    /// <param name="hidden">head hidden width (paper: 2048)</param>
    /// <param name="projectionDim">z's dimension (paper: 128)</param>
    /// <param name="temperature">NT-Xent temperature (paper, CIFAR-10: 0.5)</param>
    public SimClr(Module<Tensor, Tensor> encoder, int featureDim, int hidden = 2048, int projectionDim = 128, double temperature = NtXent.DefaultTemperature) : base(nameof(SimClr))
    {
        Losses.LossChecks.Temperature(temperature);
        this.encoder = encoder;
        projector = new ProjectionHead(featureDim, hidden, projectionDim);
        Temperature = temperature;
        RegisterComponents();
    }

    /// <summary>The features h = f(x): <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c>.</summary>
    public override Tensor forward(Tensor x) => encoder.call(x);

    /// <summary>NT-Xent of two views <c>[N, C, H, W]</c> each (one forward pass over both) -> scalar.</summary>
    public Tensor Loss(Tensor view1, Tensor view2)
    {
        var both = cat([view1, view2], 0).to(ModelUtils.DeviceOf(encoder)); // [2N, C, H, W], on the model's device
        var z = projector.call(encoder.call(both));                    // [2N, C, H, W] -> [2N, P]
        var halves = z.chunk(2, 0);                                    // 2 x [N, P]
        return NtXent.Loss(halves[0], halves[1], Temperature);
    }

    /// <summary>Every parameter (encoder and projector).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() => parameters();

    /// <summary>SimCLR has no momentum target.</summary>
    public MomentumTarget? Target => null;
}
