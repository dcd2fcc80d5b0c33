using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A per-pixel classifier on a feature map: a 3x3 convolution, BatchNorm and ReLU, then a 1x1 convolution to one
/// logit per class, upsampled (bilinear) to the requested size. Colorization (Zhang, Isola and Efros, ECCV 2016)
/// predicts a distribution over 313 quantised ab bins at every pixel.
/// </summary>
/// <remarks><c>[N, C, h, w]</c> -> logits <c>[N, Classes, H, W]</c> (H, W = the output size, or h, w).</remarks>
public sealed class PixelClassifier : Module<Tensor, Tensor>
{
    readonly Sequential body;
    readonly Conv2d classifier;
    readonly long[]? outputSize;

    /// <summary>Number of classes per pixel.</summary>
    public int Classes { get; }

    /// <summary>Builds the head.</summary>
    /// <param name="inChannels">Channels of the feature map.</param>
    /// <param name="classes">Classes per pixel (colorization: 313 ab bins).</param>
    /// <param name="hidden">Channels of the 3x3 convolution.</param>
    /// <param name="outputSize">Upsample the logits to this (H, W); null keeps the feature map's size.</param>
    public PixelClassifier(int inChannels, int classes = 313, int hidden = 128, (int H, int W)? outputSize = null) : base(nameof(PixelClassifier))
    {
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "inChannels must be at least 1.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be at least 1.");
        Classes = classes;
        this.outputSize = outputSize is { } s ? [s.H, s.W] : null;
        body = Sequential(("0", Conv2d(inChannels, hidden, 3, padding: 1, bias: false)), ("1", BatchNorm2d(hidden)), ("2", ReLU(inplace: true)));
        classifier = Conv2d(hidden, classes, 1);
        RegisterComponents();
    }

    /// <summary><c>[N, C, h, w]</c> -> <c>[N, Classes, H, W]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        var logits = classifier.call(body.call(x)); // [N, Q, h, w]
        if (outputSize is null || (logits.shape[2] == outputSize[0] && logits.shape[3] == outputSize[1])) return logits;
        return functional.interpolate(logits, size: outputSize, mode: InterpolationMode.Bilinear, align_corners: false); // [N, Q, H, W]
    }
}
