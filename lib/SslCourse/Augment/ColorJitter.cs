using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// Colour jitter with per-image factors: brightness b, contrast c and saturation s drawn uniformly in [1 - x, 1 + x],
/// hue shift in [-hue, hue] (fraction of the hue circle); applied to each image with probability
/// <see cref="Probability"/>. The ops follow the usual definitions: brightness x*b; contrast blends with the image's
/// mean gray level; saturation blends with the pixel's gray level (0.299 R + 0.587 G + 0.114 B); hue turns H in
/// HSV. Each op clamps to [0, 1]. With <see cref="RandomOrder"/> each image takes the four ops in its own random
/// order, as SimCLR's jitter does (Chen et al., ICML 2020, whose strength-s recipe is 0.8s, 0.8s, 0.8s, 0.2s at p 0.8).
/// </summary>
public sealed class ColorJitter : IViewTransform
{
    public double Brightness { get; }
    public double Contrast { get; }
    public double Saturation { get; }
    public double Hue { get; }
    public double Probability { get; }
    public bool RandomOrder { get; }

    public ColorJitter(double brightness = 0.8, double contrast = 0.8, double saturation = 0.8, double hue = 0.2, double probability = 0.8, bool randomOrder = true)
    {
        if (brightness < 0 || brightness > 1) throw new ArgumentOutOfRangeException(nameof(brightness), brightness, "brightness must lie in [0, 1].");
        if (contrast < 0 || contrast > 1) throw new ArgumentOutOfRangeException(nameof(contrast), contrast, "contrast must lie in [0, 1].");
        if (saturation < 0 || saturation > 1) throw new ArgumentOutOfRangeException(nameof(saturation), saturation, "saturation must lie in [0, 1].");
        if (hue < 0 || hue > 0.5) throw new ArgumentOutOfRangeException(nameof(hue), hue, "hue must lie in [0, 0.5].");
        ViewTransforms.CheckProbability(probability, nameof(probability));
        (Brightness, Contrast, Saturation, Hue, Probability, RandomOrder) = (brightness, contrast, saturation, hue, probability, randomOrder);
    }

    /// <summary>Per-image parameters: factors [N, 4] (brightness, contrast, saturation, hue shift), order [N, 4] int64
    /// (a permutation of 0..3 per image: the op applied at each step), apply [N] bool.</summary>
    public (Tensor Factors, Tensor Order, Tensor Apply) Sample(long n, Generator generator)
    {
        using var scope = NewDisposeScope();
        var factors = stack([
            ViewTransforms.Uniform(n, 1 - Brightness, 1 + Brightness, generator),
            ViewTransforms.Uniform(n, 1 - Contrast, 1 + Contrast, generator),
            ViewTransforms.Uniform(n, 1 - Saturation, 1 + Saturation, generator),
            ViewTransforms.Uniform(n, -Hue, Hue, generator)], 1);                        // [N, 4]
        var order = RandomOrder
            ? rand(n, 4, generator: generator).argsort(1)                                 // [N, 4] a random permutation per image
            : arange(4, dtype: ScalarType.Int64).expand(n, 4).contiguous();
        var apply = ViewTransforms.Bernoulli(n, Probability, generator);
        return (factors.MoveToOuterDisposeScope(), order.MoveToOuterDisposeScope(), apply.MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        if (images.shape[1] != 3) throw new ArgumentException($"images: colour jitter needs 3 channels, got {images.shape[1]}.", nameof(images));
        var (f, o, a) = Sample(images.shape[0], generator);
        using (f) using (o) using (a) return Apply(images, f, o, a);
    }

    /// <summary>Jitters with given parameters (see <see cref="Sample"/>): [N, 3, H, W] -> [N, 3, H, W].</summary>
    public Tensor Apply(Tensor images, Tensor factors, Tensor order, Tensor apply)
    {
        using var scope = NewDisposeScope();
        var x = images;
        for (int step = 0; step < 4; step++)
        {
            var which = order[.., step];                                                  // [N] op index per image
            var next = x;
            for (int op = 0; op < 4; op++)
            {
                var mask = which.eq(op);
                if (!mask.any().item<bool>()) continue;
                var y = Op(x, op, factors[.., op]);
                next = where(mask.view(-1, 1, 1, 1), y, next);
            }
            x = next;
        }
        return where(apply.view(-1, 1, 1, 1), x, images).MoveToOuterDisposeScope();
    }

    static Tensor Op(Tensor x, int op, Tensor f) => op switch
    {
        0 => AdjustBrightness(x, f),
        1 => AdjustContrast(x, f),
        2 => AdjustSaturation(x, f),
        _ => AdjustHue(x, f),
    };

    /// <summary>x * b per image, clamped: [N, 3, H, W], [N] -> [N, 3, H, W].</summary>
    public static Tensor AdjustBrightness(Tensor x, Tensor b) => (x * b.view(-1, 1, 1, 1)).clamp_(0, 1);

    /// <summary>Blend with the image's mean gray: m + c (x - m), clamped.</summary>
    public static Tensor AdjustContrast(Tensor x, Tensor c)
    {
        var m = Gray(x).mean([1, 2, 3], keepdim: true);                                  // [N, 1, 1, 1]
        return (m + c.view(-1, 1, 1, 1) * (x - m)).clamp_(0, 1);
    }

    /// <summary>Blend with the pixel's gray: g + s (x - g), clamped.</summary>
    public static Tensor AdjustSaturation(Tensor x, Tensor s)
    {
        var g = Gray(x);                                                                  // [N, 1, H, W]
        return (g + s.view(-1, 1, 1, 1) * (x - g)).clamp_(0, 1);
    }

    /// <summary>Turns the hue by h (fraction of the circle, per image) in HSV: [N, 3, H, W], [N] -> [N, 3, H, W].</summary>
    public static Tensor AdjustHue(Tensor x, Tensor h)
    {
        var (hh, s, v) = RgbToHsv(x);
        hh = (hh + h.view(-1, 1, 1)).remainder(1.0);
        return HsvToRgb(hh, s, v).clamp_(0, 1);
    }

    /// <summary>Luma (ITU-R 601): [N, 3, H, W] -> [N, 1, H, W].</summary>
    public static Tensor Gray(Tensor x) => (x[.., 0..1] * 0.299f + x[.., 1..2] * 0.587f + x[.., 2..3] * 0.114f);

    /// <summary>RGB [N, 3, H, W] -> H, S, V each [N, H, W] in 0..1.</summary>
    public static (Tensor H, Tensor S, Tensor V) RgbToHsv(Tensor x)
    {
        var r = x[.., 0]; var g = x[.., 1]; var b = x[.., 2];
        var max = x.amax([1]); var min = x.amin([1]);
        var d = max - min;
        var safe = where(d.gt(0), d, ones_like(d));
        var hr = ((g - b) / safe).remainder(6.0);
        var hg = (b - r) / safe + 2;
        var hb = (r - g) / safe + 4;
        var h = where(max.eq(r), hr, where(max.eq(g), hg, hb));
        h = where(d.gt(0), h / 6.0, zeros_like(h)).remainder(1.0);
        var s = where(max.gt(0), d / where(max.gt(0), max, ones_like(max)), zeros_like(max));
        return (h, s, max);
    }

    /// <summary>H, S, V [N, H, W] -> RGB [N, 3, H, W].</summary>
    public static Tensor HsvToRgb(Tensor h, Tensor s, Tensor v)
    {
        // the standard closed form: channel k = v - v s max(0, min(t, 4 - t, 1)) with t = (k + 6h) mod 6, k = 5, 3, 1
        Tensor Channel(double k)
        {
            var t = (h * 6 + k).remainder(6.0);
            var w = minimum(minimum(t, 4 - t), ones_like(t)).clamp_min(0);
            return v - v * s * w;
        }
        return stack([Channel(5), Channel(3), Channel(1)], 1);
    }
}

/// <summary>Converts each image to gray (replicated over 3 channels) with probability p; SimCLR uses p = 0.2.</summary>
public sealed class RandomGrayscale : IViewTransform
{
    public double Probability { get; }

    public RandomGrayscale(double probability = 0.2)
    {
        ViewTransforms.CheckProbability(probability, nameof(probability));
        Probability = probability;
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        var apply = ViewTransforms.Bernoulli(images.shape[0], Probability, generator);
        var gray = ColorJitter.Gray(images).expand_as(images);
        return where(apply.view(-1, 1, 1, 1), gray, images).MoveToOuterDisposeScope();
    }
}

/// <summary>Solarization with probability p: pixels at or above the threshold are inverted (x -> 1 - x); BYOL uses
/// it on its second view with p = 0.2 (Grill et al., NeurIPS 2020).</summary>
public sealed class RandomSolarize : IViewTransform
{
    public double Threshold { get; }
    public double Probability { get; }

    public RandomSolarize(double probability = 0.2, double threshold = 0.5)
    {
        ViewTransforms.CheckProbability(probability, nameof(probability));
        ViewTransforms.CheckProbability(threshold, nameof(threshold));
        (Probability, Threshold) = (probability, threshold);
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        var apply = ViewTransforms.Bernoulli(images.shape[0], Probability, generator).view(-1, 1, 1, 1);
        var solarized = where(images.ge(Threshold), 1 - images, images);
        return where(apply, solarized, images).MoveToOuterDisposeScope();
    }
}

/// <summary>Brightness and contrast jitter of grayscale images through the colour jitter: the gray image as three equal
/// channels, whose gray level is the image itself (saturation and hue leave a gray image as it is).
/// <c>[B, 1, H, W]</c> -> <c>[B, 1, H, W]</c>.</summary>
/// <param name="jitter">the colour jitter to apply</param>
public sealed class GrayJitter(ColorJitter jitter) : IViewTransform
{
    public Tensor Apply(Tensor images, Generator generator)
    {
        if (images.dim() != 4 || images.shape[1] != 1) throw new ArgumentException($"expected gray images [B, 1, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        using var scope = NewDisposeScope();
        var rgb = images.expand(-1, 3, -1, -1);                      // [B, 1, H, W] -> [B, 3, H, W]
        return jitter.Apply(rgb, generator)[.., 0..1].contiguous().MoveToOuterDisposeScope();
    }
}
