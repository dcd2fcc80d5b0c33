using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A small 1-D ConvNet over spectrograms that treats the frequency bands as channels and convolves along time only:
/// three conv-BatchNorm-ReLU blocks (kernel 3; 64-128-<c>dim</c>), max pooling by 2 after the first two, global
/// average pooling over time. Cheaper than <see cref="AudioEncoder"/> and blind to shifts in pitch (a band is a
/// channel, not a position), which is the usual trade-off between 1-D and 2-D audio encoders.
/// </summary>
public sealed class AudioEncoder1d : Module<Tensor, Tensor>
{
    readonly Sequential features;

    /// <summary>Output dimension.</summary>
    public int Dim { get; }

    /// <param name="bands">Frequency bands of the input (mel bins or FFT bins).</param>
    /// <param name="dim">Embedding size.</param>
    /// <param name="width">Channels of the first block (the second has 2x).</param>
    public AudioEncoder1d(int bands = 32, int dim = 128, int width = 64) : base(nameof(AudioEncoder1d))
    {
        if (bands < 1) throw new ArgumentOutOfRangeException(nameof(bands), bands, "bands must be positive.");
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be positive.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        Dim = dim;
        features = Sequential(
            Conv1d(bands, width, 3, padding: 1), BatchNorm1d(width), ReLU(), MaxPool1d(2),
            Conv1d(width, 2 * width, 3, padding: 1), BatchNorm1d(2 * width), ReLU(), MaxPool1d(2),
            Conv1d(2 * width, dim, 3, padding: 1), BatchNorm1d(dim), ReLU(),
            AdaptiveAvgPool1d(1), Flatten());
        RegisterComponents();
    }

    /// <summary>[N, bands, frames] (or [N, 1, bands, frames]) -> [N, dim].</summary>
    public override Tensor forward(Tensor spectrogram)
    {
        var x = spectrogram.dim() == 4 && spectrogram.shape[1] == 1 ? spectrogram.squeeze(1) : spectrogram;
        if (x.dim() != 3)
            throw new ArgumentException($"spectrogram: expected [N, bands, frames] or [N, 1, bands, frames], got [{string.Join(",", spectrogram.shape)}].", nameof(spectrogram));
        return features.call(x);
    }
}
