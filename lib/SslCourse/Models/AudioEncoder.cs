using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A small 2-D ConvNet over log-mel spectrograms, read as one-channel images [frequency, time]: four 3x3
/// conv-BatchNorm-ReLU blocks (32-64-128-<c>dim</c>), 2x2 max pooling after the first three, global average pooling.
/// A miniature of the audio subnetwork of L3-Net (Arandjelović and Zisserman, "Look, Listen and Learn", ICCV 2017),
/// which also treats the spectrogram as an image.
/// </summary>
public sealed class AudioEncoder : Module<Tensor, Tensor>
{
    readonly Sequential features;

    /// <summary>Output dimension.</summary>
    public int Dim { get; }

    /// <param name="dim">Embedding size (the last block's channels).</param>
    /// <param name="width">Channels of the first block (the next are 2x and 4x).</param>
    public AudioEncoder(int dim = 128, int width = 32) : base(nameof(AudioEncoder))
    {
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be positive.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        Dim = dim;
        features = Sequential(
            Conv2d(1, width, 3, padding: 1), BatchNorm2d(width), ReLU(), MaxPool2d(2),
            Conv2d(width, 2 * width, 3, padding: 1), BatchNorm2d(2 * width), ReLU(), MaxPool2d(2),
            Conv2d(2 * width, 4 * width, 3, padding: 1), BatchNorm2d(4 * width), ReLU(), MaxPool2d(2),
            Conv2d(4 * width, dim, 3, padding: 1), BatchNorm2d(dim), ReLU(),
            AdaptiveAvgPool2d(1), Flatten());
        RegisterComponents();
    }

    /// <summary>[N, 1, mels, frames] (or [N, mels, frames]) -> [N, dim].</summary>
    public override Tensor forward(Tensor spectrogram)
    {
        var x = spectrogram.dim() == 3 ? spectrogram.unsqueeze(1) : spectrogram;
        if (x.dim() != 4 || x.shape[1] != 1)
            throw new ArgumentException($"spectrogram: expected [N, 1, mels, frames] or [N, mels, frames], got [{string.Join(",", spectrogram.shape)}].", nameof(spectrogram));
        return features.call(x);
    }
}
