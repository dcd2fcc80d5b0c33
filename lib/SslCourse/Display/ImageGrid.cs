using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>A grid of images rendered as one PNG. Shows as image/png in a notebook.</summary>
public sealed class ImageGrid : IPngRenderable
{
    readonly byte[] _rgb; // [n, h, w, 3] bytes
    readonly int _n, _h, _w;

    /// <summary>Images per row.</summary>
    public int Columns { get; }
    /// <summary>Nearest-neighbour magnification (small images are hard to see at 1x).</summary>
    public int Scale { get; }
    /// <summary>Optional caption per image (drawn below it).</summary>
    public IReadOnlyList<string>? Captions { get; }
    /// <summary>Optional title drawn above the grid.</summary>
    public string? Title { get; }

    /// <summary>Builds a grid from <paramref name="images"/>: [C,H,W] or [N,C,H,W] with C = 1 or 3, values in 0..1 (clamped).</summary>
    public ImageGrid(Tensor images, int? columns = null, int scale = 0, IReadOnlyList<string>? captions = null, string? title = null)
    {
        using var scope = NewDisposeScope();
        var x = images.detach().cpu().to_type(ScalarType.Float32);
        if (x.dim() == 2) x = x.unsqueeze(0);
        if (x.dim() == 3) x = x.unsqueeze(0);
        if (x.dim() != 4 || (x.shape[1] != 1 && x.shape[1] != 3))
            throw new ArgumentException($"images: expected [C,H,W] or [N,C,H,W] with C = 1 or 3, got [{string.Join(",", images.shape)}].", nameof(images));
        if (x.shape[1] == 1) x = x.expand(-1, 3, -1, -1);
        _n = (int)x.shape[0]; _h = (int)x.shape[2]; _w = (int)x.shape[3];
        // [N,3,H,W] -> [N,H,W,3] bytes
        var bytes = x.clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();
        _rgb = bytes.data<byte>().ToArray();
        Columns = Math.Max(1, columns ?? Math.Min(_n, 16));
        Scale = scale > 0 ? scale : Math.Max(1, 96 / Math.Max(_h, _w));
        if (captions != null && captions.Count != _n)
            throw new ArgumentException($"captions: {captions.Count} given for {_n} images.", nameof(captions));
        Captions = captions;
        Title = title;
    }

    /// <summary>Number of images in the grid.</summary>
    public int Count => _n;

    /// <inheritdoc/>
    public byte[] ToPng()
    {
        const int pad = 2;
        int cw = _w * Scale, ch = _h * Scale;
        int captionH = Captions == null ? 0 : PixelFont.LineHeight * CaptionScale + 4;
        int titleH = Title == null ? 0 : PixelFont.LineHeight * CaptionScale + 6;
        int rows = (_n + Columns - 1) / Columns;
        int cols = Math.Min(Columns, _n);
        int width = cols * (cw + pad) + pad, height = titleH + rows * (ch + captionH + pad) + pad;
        using var image = new Image<Rgb24>(width, height, new Rgb24(255, 255, 255));
        for (int k = 0; k < _n; k++)
        {
            int ox = pad + (k % Columns) * (cw + pad), oy = titleH + pad + (k / Columns) * (ch + captionH + pad);
            for (int y = 0; y < ch; y++)
            {
                int sy = y / Scale;
                for (int x = 0; x < cw; x++)
                {
                    int sx = x / Scale, i = ((k * _h + sy) * _w + sx) * 3;
                    image[ox + x, oy + y] = new Rgb24(_rgb[i], _rgb[i + 1], _rgb[i + 2]);
                }
            }
            if (Captions != null) PixelFont.Draw(image, Captions[k], ox, oy + ch + 2, CaptionScale, maxWidth: cw);
        }
        if (Title != null) PixelFont.Draw(image, Title, pad, 3, CaptionScale, maxWidth: width - 2 * pad);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    const int CaptionScale = 1;
}

/// <summary>Anything the display formatters can show as a PNG.</summary>
public interface IPngRenderable
{
    /// <summary>The PNG bytes.</summary>
    byte[] ToPng();
}
