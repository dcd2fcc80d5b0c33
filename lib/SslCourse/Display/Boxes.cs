using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>Square outlines drawn onto an image, e.g. the two patches of a context-prediction pair.</summary>
public static class Boxes
{
    /// <summary>A copy of <paramref name="image"/> [3, H, W] (0..1) with the outline (1 pixel wide) of each square
    /// (top, left, size) in the given colour; parts outside the image are skipped.</summary>
    public static Tensor Draw(Tensor image, IEnumerable<(long Top, long Left, long Size, (float R, float G, float B) Colour)> boxes)
    {
        if (image.dim() != 3 || image.shape[0] != 3) throw new ArgumentException($"image must be [3, H, W]; got [{string.Join(", ", image.shape)}].", nameof(image));
        ArgumentNullException.ThrowIfNull(boxes);
        long h = image.shape[1], w = image.shape[2];
        var outImage = image.detach().clone();
        foreach (var (top, left, size, (r, g, b)) in boxes)
        {
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(boxes), size, "a box's size must be positive.");
            var colour = tensor(new[] { r, g, b }).to_type(outImage.dtype);
            for (long i = 0; i < size; i++)
                foreach (var (y, x) in new[] { (top, left + i), (top + size - 1, left + i), (top + i, left), (top + i, left + size - 1) })
                    if (y >= 0 && y < h && x >= 0 && x < w) outImage[.., y, x] = colour;
        }
        return outImage;
    }
}
