using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>
/// A 2-D embedding drawn with a small thumbnail of each image at its point (the lecture's t-SNE pictures), each
/// framed in its class colour when labels are given. Rendered as a PNG with ScottPlot.
/// </summary>
/// <example><code>ThumbnailScatter.From(embedding2d, images, labels, classNames, title: "t-SNE of SimCLR features")</code></example>
public static class ThumbnailScatter
{
    /// <summary>A chart of <paramref name="images"/> [N, C, H, W] (C = 1 or 3, values 0..1) placed at <paramref name="points"/> [N, 2].</summary>
    /// <param name="points">Where each image goes [N, 2].</param>
    /// <param name="images">The images [N, C, H, W], values in 0..1.</param>
    /// <param name="labels">Class per image [N] (frames the thumbnails in the class colour), or null.</param>
    /// <param name="classNames">Name per class for the legend.</param>
    /// <param name="title">Title.</param>
    /// <param name="thumbnailPixels">Side of each thumbnail in pixels.</param>
    /// <param name="width">PNG width.</param>
    /// <param name="height">PNG height.</param>
    public static Chart From(Tensor points, Tensor images, Tensor? labels = null, IReadOnlyList<string>? classNames = null, string? title = null,
        int thumbnailPixels = 28, int width = 800, int height = 640)
    {
        var (x, y) = Chart.Points2(points, nameof(points));
        if (images.dim() != 4 || images.shape[0] != x.Length || (images.shape[1] != 1 && images.shape[1] != 3))
            throw new ArgumentException($"images: expected [{x.Length}, C, H, W] with C = 1 or 3, got [{string.Join(",", images.shape)}].", nameof(images));
        if (thumbnailPixels < 4) throw new ArgumentOutOfRangeException(nameof(thumbnailPixels), thumbnailPixels, "thumbnailPixels must be at least 4.");
        int[]? labelArray = labels is null ? null : Chart.Labels(labels, x.Length, nameof(labels));
        var plot = Chart.NewPlot(title, null, null);

        // data limits with room for half a thumbnail at the edges; the data area is about the PNG less the axes
        double x0 = x.Min(), x1 = x.Max(), y0 = y.Min(), y1 = y.Max();
        if (x1 <= x0) { x0 -= 1; x1 += 1; }
        if (y1 <= y0) { y0 -= 1; y1 += 1; }
        double areaW = width - 90 - (labelArray == null ? 0 : 110), areaH = height - (title == null ? 70 : 100);
        double halfW = (x1 - x0) * thumbnailPixels / 2.0 / (areaW - thumbnailPixels), halfH = (y1 - y0) * thumbnailPixels / 2.0 / (areaH - thumbnailPixels);

        using (var scope = NewDisposeScope())
        {
            var rgb = images.detach().cpu().to_type(ScalarType.Float32).expand(-1, 3, -1, -1).clamp(0, 1).mul(255).round()
                .to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous(); // [N,3,H,W] -> [N,H,W,3]
            int h = (int)rgb.shape[1], w = (int)rgb.shape[2];
            var bytes = rgb.data<byte>().ToArray();
            for (int i = 0; i < x.Length; i++)
            {
                const int frame = 2;
                var colour = labelArray == null ? (R: (byte)160, G: (byte)160, B: (byte)160) : Palette.Rgb(labelArray[i]);
                using var thumb = new Image<Rgb24>(w + 2 * frame, h + 2 * frame, new Rgb24(colour.R, colour.G, colour.B));
                for (int py = 0; py < h; py++)
                    for (int px = 0; px < w; px++)
                    {
                        int k = ((i * h + py) * w + px) * 3;
                        thumb[px + frame, py + frame] = new Rgb24(bytes[k], bytes[k + 1], bytes[k + 2]);
                    }
                using var stream = new MemoryStream();
                thumb.SaveAsPng(stream);
                var rect = plot.Add.ImageRect(new ScottPlot.Image(stream.ToArray()), new CoordinateRect(x[i] - halfW, x[i] + halfW, y[i] - halfH, y[i] + halfH));
                rect.AntiAlias = true;
            }
        }
        if (labelArray != null)
        {
            foreach (var c in labelArray.Distinct().Order())
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = Chart.ClassName(classNames, c), FillColor = Palette.Color(c), LineWidth = 0 });
            plot.ShowLegend(Edge.Right);
        }
        plot.Axes.SetLimits(x0 - halfW, x1 + halfW, y0 - halfH, y1 + halfH);
        return new Chart(plot).WithSize(width, height);
    }
}
