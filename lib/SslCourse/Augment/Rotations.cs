using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>The rotation pretext task (Gidaris, Singh and Komodakis, ICLR 2018): every image in four rotations by
/// 0, 90, 180 and 270 degrees counter-clockwise, in the same mini-batch, labelled 0..3.</summary>
public static class Rotations
{
    /// <summary>Rotates each image by k * 90 degrees counter-clockwise: [N, C, H, W] -> [N, C, W, H].</summary>
    public static Tensor Rot90(Tensor images, int k) => images.rot90(((k % 4) + 4) % 4, (2, 3));

    /// <summary>[N, C, H, W] (H = W) -> images [4N, C, H, W] (all N images at 0 degrees, then all at 90, 180, 270)
    /// and labels [4N] int64 (0, ..., 0, 1, ..., 3).</summary>
    public static (Tensor Images, Tensor Labels) Expand(Tensor images)
    {
        ViewTransforms.CheckImages(images);
        if (images.shape[2] != images.shape[3]) throw new ArgumentException($"images: rotation needs square images, got {images.shape[2]}x{images.shape[3]}.", nameof(images));
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        var x = cat([images, Rot90(images, 1), Rot90(images, 2), Rot90(images, 3)], 0);
        var y = arange(4, dtype: ScalarType.Int64, device: images.device).repeat_interleave(n);   // [4N], beside the images
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }
}
