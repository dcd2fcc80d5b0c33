using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A small future-frame predictor: the past frames stacked as channels go through a conv encoder (one stride-2
/// step, then dilated 3x3 convs that see ~30 pixels, all at half resolution to stay cheap), bilinear upsampling, a last
/// 3x3 conv and a sigmoid.
/// Trained with squared error, it predicts the mean of the possible futures.
/// </summary>
public sealed class VideoPredictor : Module<Tensor, Tensor>
{
    readonly Sequential net;

    /// <param name="history">Input frames (channels).</param>
    /// <param name="width">Channels inside.</param>
    public VideoPredictor(int history = 3, int width = 32) : base(nameof(VideoPredictor))
    {
        if (history < 1) throw new ArgumentOutOfRangeException(nameof(history), history, "history must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        net = Sequential(
            Conv2d(history, width, 3, padding: 1), ReLU(),
            Conv2d(width, width, 3, stride: 2, padding: 1), ReLU(),
            Conv2d(width, width, 3, padding: 2, dilation: 2), ReLU(),
            Conv2d(width, width, 3, padding: 4, dilation: 4), ReLU(),
            Conv2d(width, width, 3, padding: 2, dilation: 2), ReLU(),
            Upsample(scale_factor: new double[] { 2, 2 }, mode: UpsampleMode.Bilinear, align_corners: false),
            Conv2d(width, 1, 3, padding: 1), Sigmoid());
        RegisterComponents();
    }

    /// <summary>[N, history, H, W] -> [N, 1, H, W] in 0..1 (H, W even).</summary>
    public override Tensor forward(Tensor past) => net.call(past);
}
