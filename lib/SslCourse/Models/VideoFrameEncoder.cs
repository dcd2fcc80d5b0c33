using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A small ConvNet for 32x32 video frames with two outputs: a dense feature map at half resolution (one
/// <c>mapDim</c>-vector per 2x2 patch, used to find correspondences between frames) and a pooled embedding (used to
/// classify a frame or match it with a sound). Layers: conv 3-32, max pool 2, conv 32-64, conv 64-<c>mapDim</c>
/// (the map, 16x16 for 32x32 input), then conv <c>mapDim</c>-<c>dim</c> with stride 2 and global average pooling;
/// every conv is 3x3 + BatchNorm + ReLU.
/// </summary>
public sealed class VideoFrameEncoder : Module<Tensor, Tensor>
{
    readonly Sequential stem;
    readonly Sequential head;

    /// <summary>Channels of the feature map.</summary>
    public int MapDim { get; }
    /// <summary>Size of the pooled embedding.</summary>
    public int Dim { get; }

    /// <param name="mapDim">Channels of the dense map.</param>
    /// <param name="dim">Size of the pooled embedding.</param>
    public VideoFrameEncoder(int mapDim = 64, int dim = 128) : base(nameof(VideoFrameEncoder))
    {
        if (mapDim < 1) throw new ArgumentOutOfRangeException(nameof(mapDim), mapDim, "mapDim must be positive.");
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be positive.");
        MapDim = mapDim; Dim = dim;
        stem = Sequential(
            Conv2d(3, 32, 3, padding: 1), BatchNorm2d(32), ReLU(), MaxPool2d(2),
            Conv2d(32, 64, 3, padding: 1), BatchNorm2d(64), ReLU(),
            Conv2d(64, mapDim, 3, padding: 1), BatchNorm2d(mapDim), ReLU());
        head = Sequential(
            Conv2d(mapDim, dim, 3, stride: 2, padding: 1), BatchNorm2d(dim), ReLU(),
            AdaptiveAvgPool2d(1), Flatten());
        RegisterComponents();
    }

    /// <summary>The dense feature map: [N, 3, H, W] -> [N, mapDim, H/2, W/2].</summary>
    public Tensor FeatureMap(Tensor frames)
    {
        if (frames.dim() != 4 || frames.shape[1] != 3)
            throw new ArgumentException($"frames: expected [N, 3, H, W], got [{string.Join(",", frames.shape)}].", nameof(frames));
        return stem.call(frames);
    }

    /// <summary>The pooled embedding: [N, 3, H, W] -> [N, dim].</summary>
    public override Tensor forward(Tensor frames) => head.call(FeatureMap(frames));
}
