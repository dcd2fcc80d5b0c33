using SslCourse.Losses;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// Contrastive learning with a memory bank (instance discrimination, Wu, Xiong, Yu and Lin, CVPR 2018), in the
/// InfoNCE form MoCo (He et al., CVPR 2020, figure 2b) compares against: the query q = g(f(view)) of image i is
/// pulled towards the bank's stored vector of image i and pushed from K vectors drawn at random from the bank; then
/// the bank entry of i is blended with q. The stored vectors were computed by older encoders (at most one epoch
/// old), which is the inconsistency MoCo's momentum encoder removes.
/// </summary>
public sealed class MemoryBankContrast : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> encoder;
    readonly ProjectionHead projector;
    readonly Generator sampler;

    /// <summary>The bank: one unit vector per training image.</summary>
    public MemoryBank Bank { get; }
    /// <summary>The encoder f (kept for downstream tasks).</summary>
    public Module<Tensor, Tensor> Encoder => encoder;
    /// <summary>K, negatives drawn per step.</summary>
    public int Negatives { get; }
    /// <summary>InfoNCE temperature.</summary>
    public double Temperature { get; }

    /// <summary>Wires an encoder, a projection head and a bank over <paramref name="datasetSize"/> images.</summary>
    /// <param name="encoder">f: <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c></param>
    /// <param name="featureDim">f's output dimension</param>
    /// <param name="datasetSize">images in the training set (one bank entry each)</param>
    /// <param name="negatives">K drawn per step (paper: 4,096)</param>
    /// <param name="projectionDim">bank vector dimension (paper: 128)</param>
    /// <param name="hidden">projection head hidden width</param>
    /// <param name="temperature">InfoNCE temperature (paper: 0.07)</param>
    /// <param name="momentum">bank update momentum (paper: 0.5)</param>
    /// <param name="generator">fills the bank and draws the negatives</param>
    public MemoryBankContrast(Module<Tensor, Tensor> encoder, int featureDim, int datasetSize, int negatives = 4096, int projectionDim = 128,
        int hidden = 2048, double temperature = InfoNce.DefaultTemperature, double momentum = MemoryBank.DefaultMomentum, Generator? generator = null)
        : base(nameof(MemoryBankContrast))
    {
        LossChecks.Temperature(temperature);
        if (negatives < 1) throw new ArgumentOutOfRangeException(nameof(negatives), negatives, "negatives must be at least 1.");
        this.encoder = encoder;
        projector = new ProjectionHead(featureDim, hidden, projectionDim);
        RegisterComponents();
        sampler = generator ?? Course.Generator(0);
        Bank = new MemoryBank(datasetSize, projectionDim, sampler, momentum);
        Negatives = negatives;
        Temperature = temperature;
    }

    /// <summary>The features h = f(x): <c>[N, C, H, W]</c> -> <c>[N, featureDim]</c>.</summary>
    public override Tensor forward(Tensor x) => encoder.call(x);

    /// <summary>The projections z = g(f(x)): <c>[N, C, H, W]</c> -> <c>[N, projectionDim]</c>.</summary>
    public Tensor Project(Tensor x) => projector.call(encoder.call(x));

    /// <summary>InfoNCE of the views' queries against their bank entries (positives) and K random bank entries
    /// (negatives) -> scalar; then writes the queries into the bank.</summary>
    /// <param name="view"><c>[N, C, H, W]</c> one augmented view per image</param>
    /// <param name="indices"><c>[N]</c> int64 dataset indices of the images (distinct)</param>
    public Tensor Loss(Tensor view, Tensor indices)
    {
        if (indices.dim() != 1 || indices.shape[0] != view.shape[0])
            throw new ArgumentException($"indices must be [N] with N = {view.shape[0]}; got [{string.Join(", ", indices.shape)}].", nameof(indices));
        var q = Project(view);                                // [N, P]
        using var positives = Bank.Get(indices);              // [N, P], no gradient
        using var negatives = Bank.SampleNegatives(Negatives, sampler); // [K, P]
        var loss = InfoNce.Loss(q, positives, negatives, Temperature);
        Bank.Update(indices, q);
        return loss;
    }
}
