using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SslCourse.Display;

/// <summary>Several PNG pictures (charts, image grids, point-cloud views) laid out in a grid as one PNG.
/// Made by <see cref="Chart.Row"/> and <see cref="Chart.Grid"/>.</summary>
public sealed class Figure : IPngRenderable
{
    readonly IReadOnlyList<IPngRenderable> _parts;

    /// <summary>Pictures per row.</summary>
    public int Columns { get; }

    /// <summary>Optional title drawn above the figure.</summary>
    public string? Title { get; init; }

    /// <summary>Lays out <paramref name="parts"/> in rows of <paramref name="columns"/>.</summary>
    public Figure(IReadOnlyList<IPngRenderable> parts, int columns)
    {
        if (parts.Count == 0) throw new ArgumentException("parts: at least one picture is needed.", nameof(parts));
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be at least 1.");
        _parts = parts;
        Columns = Math.Min(columns, parts.Count);
    }

    /// <summary>The pictures in the figure.</summary>
    public IReadOnlyList<IPngRenderable> Parts => _parts;

    /// <inheritdoc/>
    public byte[] ToPng()
    {
        var images = _parts.Select(p => Image.Load<Rgb24>(p.ToPng())).ToList();
        try
        {
            int rows = (images.Count + Columns - 1) / Columns;
            var colWidth = Enumerable.Range(0, Columns).Select(c => images.Where((_, i) => i % Columns == c).Max(im => im.Width)).ToArray();
            var rowHeight = Enumerable.Range(0, rows).Select(r => images.Skip(r * Columns).Take(Columns).Max(im => im.Height)).ToArray();
            int titleH = Title == null ? 0 : 28;
            using var canvas = new Image<Rgb24>(colWidth.Sum(), titleH + rowHeight.Sum(), new Rgb24(255, 255, 255));
            for (int i = 0; i < images.Count; i++)
            {
                int r = i / Columns, c = i % Columns;
                int x = colWidth.Take(c).Sum() + (colWidth[c] - images[i].Width) / 2, y = titleH + rowHeight.Take(r).Sum();
                var im = images[i];
                canvas.Mutate(ctx => ctx.DrawImage(im, new Point(x, y), 1f));
            }
            if (Title != null)
            {
                int w = (int)Math.Ceiling(PixelFont.Measure(Title, 16));
                PixelFont.Draw(canvas, Title, Math.Max(4, (canvas.Width - w) / 2), 4, 16f, canvas.Width - 8);
            }
            using var stream = new MemoryStream();
            canvas.SaveAsPng(stream);
            return stream.ToArray();
        }
        finally
        {
            foreach (var im in images) im.Dispose();
        }
    }

    /// <summary>Writes the PNG to <paramref name="path"/>.</summary>
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    /// <inheritdoc/>
    public override string ToString() => $"Figure of {_parts.Count} pictures";
}

/// <summary>Saving any PNG picture to a file.</summary>
public static class PngRenderableExtensions
{
    /// <summary>Writes <paramref name="picture"/>'s PNG to <paramref name="path"/> (creating its folder).</summary>
    public static void SavePng(this IPngRenderable picture, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, picture.ToPng());
    }
}
