using FluentAssertions;
using SslCourse.Augment;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

public class ColourTests
{
    static Tensor Images(int n, int side = 8, int seed = 1) => rand(n, 3, side, side, generator: Course.Generator(seed));

    static (double h, double s, double v) Hsv(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), d = max - min, h = 0;
        if (d > 0)
        {
            if (max == r) h = ((g - b) / d % 6 + 6) % 6;
            else if (max == g) h = (b - r) / d + 2;
            else h = (r - g) / d + 4;
            h /= 6;
        }
        return (h, max > 0 ? d / max : 0, max);
    }

    static (double r, double g, double b) Rgb(double h, double s, double v)
    {
        double c = v * s, hp = h * 6, x = c * (1 - Math.Abs(hp % 2 - 1)), m = v - c;
        var (r, g, b) = hp switch { < 1 => (c, x, 0.0), < 2 => (x, c, 0.0), < 3 => (0.0, c, x), < 4 => (0.0, x, c), < 5 => (x, 0.0, c), _ => (c, 0.0, x) };
        return (r + m, g + m, b + m);
    }

    static double Clamp(double v) => Math.Clamp(v, 0, 1);

    // the four jitter ops written per pixel, straight from their definitions
    static double[] Reference(double[] img, int hw, int op, double f)
    {
        var o = (double[])img.Clone();
        double Gray(int p) => 0.299 * img[p] + 0.587 * img[hw + p] + 0.114 * img[2 * hw + p];
        double mean = Enumerable.Range(0, hw).Average(Gray);
        for (int p = 0; p < hw; p++)
        {
            double g = Gray(p);
            for (int c = 0; c < 3; c++)
            {
                double v = img[c * hw + p];
                if (op == 0) o[c * hw + p] = Clamp(v * f);
                if (op == 1) o[c * hw + p] = Clamp(mean + f * (v - mean));
                if (op == 2) o[c * hw + p] = Clamp(g + f * (v - g));
            }
            if (op == 3)
            {
                var (h, s, v) = Hsv(img[p], img[hw + p], img[2 * hw + p]);
                var (r, gg, b) = Rgb(((h + f) % 1 + 1) % 1, s, v);
                o[p] = Clamp(r); o[hw + p] = Clamp(gg); o[2 * hw + p] = Clamp(b);
            }
        }
        return o;
    }

    [Fact]
    public void Jitter_matches_a_per_image_reference_in_each_image_s_own_order()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(5);
        var jitter = new ColorJitter(0.8, 0.8, 0.8, 0.2, probability: 0.6);
        var (f, order, apply) = jitter.Sample(5, Course.Generator(4));
        var y = jitter.Apply(x, f, order, apply);
        var fs = f.data<float>().ToArray(); var os = order.data<long>().ToArray(); var ap = apply.data<bool>().ToArray();
        for (int i = 0; i < 5; i++)
        {
            var img = x[i].flatten().data<float>().ToArray().Select(v => (double)v).ToArray();
            if (ap[i])
                for (int step = 0; step < 4; step++) { int op = (int)os[i * 4 + step]; img = Reference(img, 64, op, fs[i * 4 + op]); }
            var got = y[i].flatten().data<float>().ToArray();
            for (int k = 0; k < got.Length; k++) got[k].Should().BeApproximately((float)img[k], 2e-4f, $"image {i} value {k}");
        }
        y.min().item<float>().Should().BeGreaterThanOrEqualTo(0); y.max().item<float>().Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void Hue_round_trip_and_full_turn_are_identities()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(3);
        var (h, s, v) = ColorJitter.RgbToHsv(x);
        ColorJitter.HsvToRgb(h, s, v).allclose(x, atol: 1e-5).Should().BeTrue();
        ColorJitter.AdjustHue(x, ones(3)).allclose(x, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Grayscale_solarize_keep_range_and_definition()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(64);
        var g = new RandomGrayscale(1.0).Apply(x, Course.Generator(1));
        g[.., 0].allclose(g[.., 2]).Should().BeTrue();
        g[0, 0, 0, 0].item<float>().Should().BeApproximately(0.299f * x[0, 0, 0, 0].item<float>() + 0.587f * x[0, 1, 0, 0].item<float>() + 0.114f * x[0, 2, 0, 0].item<float>(), 1e-6f);
        var s = new RandomSolarize(1.0, 0.5).Apply(x, Course.Generator(1));
        s.le(0.5 + 1e-6).all().item<bool>().Should().BeTrue();
        var half = new RandomGrayscale(0.5).Apply(x, Course.Generator(2));
        int changed = Enumerable.Range(0, 64).Count(i => !half[i].Same(x[i]));
        changed.Should().BeInRange(16, 48);
    }

    [Fact]
    public void Blur_matches_a_naive_separable_convolution_with_reflected_borders()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(2, 7);
        var sigma = tensor(new float[] { 0.7f, 1.6f });
        var y = GaussianBlur.Blur(x, sigma, 5);
        int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
        for (int n = 0; n < 2; n++)
        {
            double sg = sigma[n].item<float>();
            var k = Enumerable.Range(-2, 5).Select(d => Math.Exp(-d * d / (2 * sg * sg))).ToArray();
            double ks = k.Sum(); k = k.Select(v => v / ks).ToArray();
            var img = x[n, 1].data<float>().ToArray();
            for (int r = 0; r < 7; r++)
                for (int c = 0; c < 7; c++)
                {
                    double sum = 0;
                    for (int dy = -2; dy <= 2; dy++)
                        for (int dx = -2; dx <= 2; dx++)
                            sum += k[dy + 2] * k[dx + 2] * img[Reflect(r + dy, 7) * 7 + Reflect(c + dx, 7)];
                    y[n, 1, r, c].item<float>().Should().BeApproximately((float)sum, 1e-5f);
                }
        }
        // a constant image stays constant; a larger sigma lowers the variance more
        GaussianBlur.Blur(full(1, 3, 7, 7, 0.3f), tensor(new float[] { 2f }), 5).allclose(full(1, 3, 7, 7, 0.3f), atol: 1e-6).Should().BeTrue();
        y[1].var().item<float>().Should().BeLessThan(y[0].var().item<float>());
    }

    [Fact]
    public void Bad_hyperparameters_name_the_value()
    {
        var act = () => new ColorJitter(brightness: 1.5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*brightness*1.5*");
        var crop = () => new RandomResizedCrop(8, scaleMin: 0);
        crop.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*scaleMin*");
    }
}
