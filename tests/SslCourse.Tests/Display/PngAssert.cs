using FluentAssertions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SslCourse.Display;

namespace SslCourse.Tests.Display;

/// <summary>Checks that a PNG decodes, has the expected size and is not blank.</summary>
static class PngAssert
{
    /// <summary>Set <c>SSL_COURSE_DISPLAY_OUT</c> to a folder to keep the test pictures for looking at them.</summary>
    static readonly string? Keep = Environment.GetEnvironmentVariable("SSL_COURSE_DISPLAY_OUT");

    public static Image<Rgb24> Valid(byte[] png, int? width = null, int? height = null, string? name = null)
    {
        png.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "a PNG starts with its signature");
        var image = Image.Load<Rgb24>(png);
        if (width != null) image.Width.Should().Be(width);
        if (height != null) image.Height.Should().Be(height);
        DistinctColours(image).Should().BeGreaterThan(8, "a drawn picture has more than a few colours");
        if (Keep != null && name != null)
        {
            Directory.CreateDirectory(Keep);
            File.WriteAllBytes(Path.Combine(Keep, name + ".png"), png);
        }
        return image;
    }

    public static Image<Rgb24> Valid(IPngRenderable picture, int? width = null, int? height = null, string? name = null) =>
        Valid(picture.ToPng(), width, height, name);

    public static int DistinctColours(Image<Rgb24> image)
    {
        var set = new HashSet<int>();
        for (int y = 0; y < image.Height; y += 2)
            for (int x = 0; x < image.Width; x += 2)
            {
                var p = image[x, y];
                set.Add(p.R << 16 | p.G << 8 | p.B);
            }
        return set.Count;
    }

    /// <summary>Fraction of pixels close to <paramref name="hex"/> ("#RRGGBB").</summary>
    public static double Fraction(Image<Rgb24> image, string hex, int tolerance = 40)
    {
        byte r = Convert.ToByte(hex[1..3], 16), g = Convert.ToByte(hex[3..5], 16), b = Convert.ToByte(hex[5..7], 16);
        long hits = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                if (Math.Abs(p.R - r) + Math.Abs(p.G - g) + Math.Abs(p.B - b) <= tolerance) hits++;
            }
        return hits / (double)(image.Width * image.Height);
    }
}
