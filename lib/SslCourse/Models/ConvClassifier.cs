using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>The course's image classifier for semi-supervised training: the default <see cref="ConvNet"/> encoder and a
/// linear head, trained end to end. <c>[N, C, H, W]</c> -> logits <c>[N, Classes]</c>.</summary>
public sealed class ConvClassifier : Module<Tensor, Tensor>
{
    readonly ConvNet encoder;
    readonly LinearClassifier fc;

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>The encoder (its pooled output are the features an out-of-domain filter compares).</summary>
    public ConvNet Encoder => encoder;

    /// <summary>Builds the classifier.</summary>
    /// <param name="inChannels">1 (Fashion-MNIST) or 3 (the colour set).</param>
    /// <param name="classes">Number of classes (>= 2).</param>
    /// <param name="width">Channel multiplier of the ConvNet (1.0: 32-64-128-256).</param>
    public ConvClassifier(int inChannels, int classes, double width = 1.0) : base(nameof(ConvClassifier))
    {
        encoder = new ConvNet(inChannels, width);
        fc = new LinearClassifier(encoder.OutputDim, classes);
        Classes = classes;
        RegisterComponents();
    }

    /// <summary><c>[N, C, H, W]</c> -> <c>[N, Classes]</c>.</summary>
    public override Tensor forward(Tensor x) => fc.call(encoder.call(x));

    /// <summary>The pooled encoder features: <c>[N, C, H, W]</c> -> <c>[N, Encoder.OutputDim]</c>.</summary>
    public Tensor Features(Tensor x) => encoder.call(x);
}
