using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// The context prediction network of Doersch, Gupta and Efros (ICCV 2015) in small: one encoder shared by both patches
/// (a siamese pair, late fusion), the two feature vectors concatenated, and an MLP that says where the second patch lies
/// relative to the first (8 classes, see <see cref="Augment.ContextPairs"/>). Late fusion keeps the encoder a
/// single-patch network, so its features can be probed on whole images afterwards.
/// </summary>
/// <remarks>(centre <c>[N, C, p, p]</c>, neighbour <c>[N, C, p, p]</c>) -> logits <c>[N, 8]</c>.</remarks>
public sealed class ContextPredictor : Module<Tensor, Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> encoder;
    readonly Sequential head;

    /// <summary>The shared patch encoder <c>[N, C, p, p]</c> -> <c>[N, D]</c>.</summary>
    public Module<Tensor, Tensor> Encoder => encoder;

    /// <summary>Builds the network.</summary>
    /// <param name="encoder">patch encoder producing <paramref name="featureDim"/> features</param>
    /// <param name="featureDim">D, the encoder's output length</param>
    /// <param name="hidden">width of the fusion MLP's hidden layer</param>
    /// <param name="classes">relative positions (8 in the paper)</param>
    public ContextPredictor(Module<Tensor, Tensor> encoder, int featureDim, int hidden = 256, int classes = 8) : base(nameof(ContextPredictor))
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (featureDim < 1) throw new ArgumentOutOfRangeException(nameof(featureDim), featureDim, "featureDim must be positive.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be positive.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        this.encoder = encoder;
        head = Sequential(("0", Linear(2 * featureDim, hidden)), ("1", BatchNorm1d(hidden)), ("2", ReLU(inplace: true)), ("3", Linear(hidden, classes)));
        RegisterComponents();
    }

    /// <summary>(<c>[N, C, p, p]</c>, <c>[N, C, p, p]</c>) -> <c>[N, classes]</c>.</summary>
    public override Tensor forward(Tensor centre, Tensor neighbour)
    {
        if (!centre.shape.SequenceEqual(neighbour.shape))
            throw new ArgumentException($"centre and neighbour must have the same shape; got [{string.Join(", ", centre.shape)}] and [{string.Join(", ", neighbour.shape)}].");
        long n = centre.shape[0];
        var f = encoder.call(cat([centre, neighbour], 0));            // [2N, D]: one pass, shared weights
        return head.call(cat([f[..(int)n], f[(int)n..]], 1));         // [N, 2D] -> [N, classes]
    }

    /// <summary>Cross-entropy of the relative position: patches as in <see cref="forward"/>, labels <c>[N]</c> int64 -> scalar.</summary>
    public Tensor Loss(Tensor centre, Tensor neighbour, Tensor labels) => functional.cross_entropy(call(centre, neighbour), labels);

    /// <summary>Accuracy (0..1) of the relative position on pairs, in eval mode without gradients (training mode restored).</summary>
    public double Accuracy(Tensor centre, Tensor neighbour, Tensor labels, int batchSize = 512)
    {
        using var mode = ModeScope.Eval(this);
        using var _ = no_grad();
        long correct = 0, n = centre.shape[0];
        for (long s = 0; s < n; s += batchSize)
        {
            using var scope = NewDisposeScope();
            int a = (int)s, b = (int)Math.Min(n, s + batchSize);
            correct += call(centre[a..b], neighbour[a..b]).argmax(1).eq(labels[a..b]).sum().item<long>();
        }
        return n == 0 ? double.NaN : (double)correct / n;
    }
}
