using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A small future-frame predictor: the past frames stacked as channels go through a conv encoder (one stride-2
/// step, then dilated 3x3 convs that see ~30 pixels, all at half resolution to stay cheap), bilinear upsampling and a last
/// 3x3 conv with a linear output. Trained with squared error, it predicts the mean of the possible futures.
/// </summary>
/// <remarks>
/// The output has no sigmoid on purpose. A small ball lights ~1% of the pixels, so the squared error first pushes every
/// pixel toward black; behind a sigmoid that drives the logits deep into saturation, where the gradient vanishes, and
/// the predictor stays all black (the course's first version did: brightest predicted pixel 0.00 after 500 steps).
/// A linear output keeps the gradient alive; clamp to 0..1 to show the frame.
/// </remarks>
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
            Conv2d(width, 1, 3, padding: 1));
        RegisterComponents();
    }

    /// <summary>[N, history, H, W] -> [N, 1, H, W], unbounded (about 0..1 once trained; H, W even).</summary>
    public override Tensor forward(Tensor past) => net.call(past);
}
