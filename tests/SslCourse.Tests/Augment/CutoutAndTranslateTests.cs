using FluentAssertions;
using SslCourse.Augment;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

/// <summary>Cutout and FixMatch's weak translation against per-pixel loops written from their definitions.</summary>
public class CutoutAndTranslateTests
{
    [Fact]
    public void Cutout_fills_the_clipped_square_around_each_centre_as_a_pixel_loop_does()
    {
        Course.Init(0);
        const int n = 5, c = 2, h = 9, w = 7;
        var images = rand([n, c, h, w], generator: Course.Generator(1));
        var cutout = new Cutout(sizeFraction: 0.6, fill: 0.25, probability: 0.7);
        int side = cutout.SideFor(h, w);
        side.Should().Be(4);                                                  // round(0.6 x min(9, 7))
        var (row, column, apply) = cutout.Sample(n, h, w, Course.Generator(2));
        var expected = images.clone();
        var rows = row.data<long>().ToArray();
        var cols = column.data<long>().ToArray();
        var cut = apply.data<bool>().ToArray();
        for (int i = 0; i < n; i++)
        {
            if (!cut[i]) continue;
            for (long y = rows[i] - side / 2; y < rows[i] - side / 2 + side; y++)
                for (long x = cols[i] - side / 2; x < cols[i] - side / 2 + side; x++)
                    if (y >= 0 && y < h && x >= 0 && x < w)
                        for (int ch = 0; ch < c; ch++) expected[i, ch, y, x] = 0.25f;
        }
        cutout.Apply(images, row, column, apply).Equals(expected).Should().BeTrue();
        // Apply draws the same parameters as Sample from the same generator state.
        cutout.Apply(images, Course.Generator(2)).Equals(expected).Should().BeTrue();

        // A corner centre: the square is clipped to the image.
        var corner = new Cutout(0.5).Apply(ones(1, 1, 8, 8), zeros(1, dtype: ScalarType.Int64), zeros(1, dtype: ScalarType.Int64), ones(1, dtype: ScalarType.Bool));
        corner.eq(0.5f).sum().item<long>().Should().Be(2 * 2);               // rows/cols -2..1 inside: 0..1
        FluentActions.Invoking(() => new Cutout(0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*sizeFraction*");
        FluentActions.Invoking(() => new Cutout(0.5, fill: 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*fill*");
    }

    [Fact]
    public void RandomTranslate_flips_then_shifts_whole_pixels_with_mirrored_borders_as_a_pixel_loop_does()
    {
        Course.Init(0);
        const int n = 6, c = 3, h = 8, w = 8;
        var images = rand([n, c, h, w], generator: Course.Generator(3));
        var translate = new RandomTranslate(maxFraction: 0.25, flipProbability: 0.5);
        translate.MaxShift(8).Should().Be(2);
        var (dx, dy, flip) = translate.Sample(n, h, w, Course.Generator(4));
        var dxs = dx.data<long>().ToArray();
        var dys = dy.data<long>().ToArray();
        var flips = flip.data<bool>().ToArray();
        dxs.Concat(dys).Should().OnlyContain(d => d >= -2 && d <= 2);
        static long Mirror(long i, long size) => i < 0 ? -i - 1 : i >= size ? 2 * size - i - 1 : i;   // symmetric padding
        var src = images.data<float>().ToArray();
        var expected = new float[src.Length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (long y = 0; y < h; y++)
                    for (long x = 0; x < w; x++)
                    {
                        long sy = Mirror(y - dys[i], h), sx = Mirror(x - dxs[i], w);  // the flipped image's pixel (y - dy, x - dx)
                        if (flips[i]) sx = w - 1 - sx;
                        expected[((i * c + ch) * h + y) * w + x] = src[((i * c + ch) * h + sy) * w + sx];
                    }
        var result = translate.Apply(images, dx, dy, flip);
        (result - tensor(expected).reshape(n, c, h, w)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        translate.Apply(images, Course.Generator(4)).Equals(result).Should().BeTrue();
        flips.Should().Contain(true).And.Contain(false);
        dxs.Should().Contain(d => d != 0);
        FluentActions.Invoking(() => new RandomTranslate(0.6)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*maxFraction*");
    }
}
