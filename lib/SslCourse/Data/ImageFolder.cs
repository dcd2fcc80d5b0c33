using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// Reader for the class-per-folder layout (<c>root/cat/001.png</c>, <c>root/dog/a.jpg</c>): class names are the
/// sub-folder names in ordinal order, images are PNG, JPEG, BMP or GIF decoded with ImageSharp.
/// </summary>
public static class ImageFolder
{
    static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif"];

    /// <summary>Loads every image under <paramref name="root"/>, resized (bilinear, aspect ignored) to
    /// <paramref name="size"/> x size: images [N, 3, size, size] (or [N, 1, ...] with <paramref name="grayscale"/>)
    /// float32 in 0..1, labels [N] int64. Files are taken in ordinal name order inside each class.</summary>
    /// <exception cref="DataFormatException">A file cannot be decoded (it names the file and its size).</exception>
    public static LabeledImages Load(string root, int size = 32, bool grayscale = false)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive.");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image folder not found: {root}");
        var classes = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0) throw new DataFormatException(root, "expected one sub-folder per class, found none.");
        int channels = grayscale ? 1 : 3;
        var pixels = new List<float>();
        var labels = new List<long>();
        for (int c = 0; c < classes.Length; c++)
        {
            var files = Directory.GetFiles(Path.Combine(root, classes[c]))
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                Image<Rgb24> image;
                try { image = Image.Load<Rgb24>(file); }
                catch (Exception e) when (e is ImageFormatException or NotSupportedException)
                {
                    throw new DataFormatException(file, $"cannot decode the image ({new FileInfo(file).Length} bytes): {e.Message}");
                }
                using (image)
                {
                    if (image.Width != size || image.Height != size) image.Mutate(m => m.Resize(size, size, KnownResamplers.Triangle));
                    var plane = new float[channels * size * size];
                    image.ProcessPixelRows(rows =>
                    {
                        for (int y = 0; y < size; y++)
                        {
                            var row = rows.GetRowSpan(y);
                            for (int x = 0; x < size; x++)
                            {
                                var p = row[x];
                                int i = y * size + x;
                                if (grayscale) plane[i] = (0.299f * p.R + 0.587f * p.G + 0.114f * p.B) / 255f;
                                else { plane[i] = p.R / 255f; plane[size * size + i] = p.G / 255f; plane[2 * size * size + i] = p.B / 255f; }
                            }
                        }
                    });
                    pixels.AddRange(plane);
                }
                labels.Add(c);
            }
        }
        return new LabeledImages(tensor(pixels.ToArray(), [labels.Count, channels, size, size]), tensor(labels.ToArray()), classes);
    }

    /// <summary>Writes a set as a class-per-folder tree of PNG files (root/class/00000.png); the inverse of <see cref="Load"/>.</summary>
    public static void Save(LabeledImages set, string root)
    {
        using var scope = NewDisposeScope();
        var bytes = set.Images.clamp(0, 1).mul(255f).round().to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous(); // [N, H, W, C]
        var data = bytes.data<byte>().ToArray();
        var labels = set.Labels.data<long>().ToArray();
        int n = set.Count, h = (int)set.Images.shape[2], w = (int)set.Images.shape[3], c = set.Channels;
        for (int i = 0; i < n; i++)
        {
            var dir = Path.Combine(root, set.ClassNames[(int)labels[i]]);
            Directory.CreateDirectory(dir);
            using var image = new Image<Rgb24>(w, h);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int o = ((i * h + y) * w + x) * c;
                    image[x, y] = c == 1 ? new Rgb24(data[o], data[o], data[o]) : new Rgb24(data[o], data[o + 1], data[o + 2]);
                }
            image.SaveAsPng(Path.Combine(dir, $"{i:D5}.png"));
        }
    }
}
