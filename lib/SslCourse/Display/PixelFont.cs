using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace SslCourse.Display;

/// <summary>Draws short captions into an ImageSharp image (ImageSharp 2 has no text drawing of its own; the text
/// is rasterised with SkiaSharp, which ScottPlot already brings, and blended in as dark ink on the background).</summary>
static class PixelFont
{
    public const int LineHeight = 12;

    static readonly SKTypeface Face = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="size"/> pixels.</summary>
    public static float Measure(string text, float size)
    {
        using var font = new SKFont(Face, size);
        return font.MeasureText(text);
    }

    /// <summary>Draws <paramref name="text"/> with its top-left at (x, y), cut with "…" to <paramref name="maxWidth"/> pixels.</summary>
    public static void Draw(Image<Rgb24> image, string text, int x, int y, int scale, int maxWidth) =>
        Draw(image, text, x, y, 10f * scale, maxWidth);

    /// <summary>Draws <paramref name="text"/> at <paramref name="size"/> pixels with its top-left at (x, y), cut with "…" to <paramref name="maxWidth"/>.</summary>
    public static void Draw(Image<Rgb24> image, string text, int x, int y, float size, int maxWidth)
    {
        if (string.IsNullOrEmpty(text) || maxWidth <= 4) return;
        using var font = new SKFont(Face, size);
        while (text.Length > 1 && font.MeasureText(text) > maxWidth) text = text[..^2] + "…";
        int w = Math.Min(maxWidth, (int)Math.Ceiling(font.MeasureText(text)) + 2), h = (int)Math.Ceiling(size * 1.25f);
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText(text, 0, size, font, paint);
        }
        var gray = bitmap.Bytes;
        for (int py = 0; py < h && y + py < image.Height; py++)
            for (int px = 0; px < w && x + px < image.Width; px++)
            {
                byte ink = gray[py * bitmap.RowBytes + px];
                if (ink == 255 || x + px < 0 || y + py < 0) continue;
                var bg = image[x + px, y + py];
                float a = ink / 255f;
                image[x + px, y + py] = new Rgb24((byte)(bg.R * a), (byte)(bg.G * a), (byte)(bg.B * a));
            }
    }
}
