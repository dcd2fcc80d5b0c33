using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>The view recipes of the papers, with their defaults.</summary>
public static class ViewRecipes
{
    /// <summary>SimCLR's view (Chen, Kornblith, Norouzi and Hinton, ICML 2020, appendix A): random resized crop
    /// (scale 0.08-1, ratio 3/4-4/3) with flip 0.5; its colour distortion at strength s (<see cref="ColourDistortion"/>:
    /// on gray images, <paramref name="channels"/> 1, only the jitter's brightness and contrast); Gaussian blur p 0.5
    /// (sigma 0.1-2, kernel 10% of the side), which the paper leaves out on CIFAR-10: pass <paramref name="blur"/> false
    /// for 32x32 images to match.</summary>
    public static Compose SimClr(int size, double strength = 1.0, bool blur = true, double scaleMin = 0.08, int channels = 3)
    {
        var colour = ColourDistortion(channels, strength);
        var steps = new List<IViewTransform> { new RandomResizedCrop(size, scaleMin: scaleMin), colour };
        if (blur) steps.Add(new GaussianBlur(0.5));
        return new Compose([.. steps]);
    }

    /// <summary>SimCLR's colour distortion at strength s, for images of <paramref name="channels"/> channels: on colour
    /// images (3) colour jitter (0.8s, 0.8s, 0.8s, 0.2s) with p 0.8, then grayscale p 0.2; on gray images (1) the jitter's
    /// brightness and contrast (0.8s each, p 0.8) through <see cref="GrayJitter"/>, as saturation, hue and grayscale
    /// leave a gray image as it is. FixMatch's strong view uses it at s = 0.5.</summary>
    public static IViewTransform ColourDistortion(int channels, double strength)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grayscale) or 3 (colour).");
        if (strength < 0 || strength > 1.25) throw new ArgumentOutOfRangeException(nameof(strength), strength, "strength must lie in 0..1.25 (hue 0.2s must stay <= 0.25).");
        return channels == 3
            ? new Compose(new ColorJitter(0.8 * strength, 0.8 * strength, 0.8 * strength, 0.2 * strength, probability: 0.8), new RandomGrayscale(0.2))
            : new GrayJitter(new ColorJitter(0.8 * strength, 0.8 * strength, 0, 0, probability: 0.8));
    }

    /// <summary>BYOL's two asymmetric views (Grill et al., NeurIPS 2020, table 6): both crop (0.08-1) with flip 0.5,
    /// jitter (0.4, 0.4, 0.2, 0.1) with p 0.8, grayscale p 0.2; blur p 1.0 and no solarization in the first view,
    /// blur p 0.1 and solarization p 0.2 in the second.</summary>
    public static (Compose First, Compose Second) Byol(int size, double scaleMin = 0.08)
    {
        Compose View(double blur, double solarize) => new(
            new RandomResizedCrop(size, scaleMin: scaleMin),
            new ColorJitter(0.4, 0.4, 0.2, 0.1, probability: 0.8),
            new RandomGrayscale(0.2),
            new GaussianBlur(blur),
            new RandomSolarize(solarize));
        return (View(1.0, 0.0), View(0.1, 0.2));
    }

    /// <summary>
    /// The calibration recipe (grayscale or colour): batched with per-image parameters (the bench's PyTorch peer,
    /// lib/SslCourse.Cli/Bench/peer_step.py, draws the same): a random resized
    /// crop (area 0.3-1, via an affine grid), a horizontal flip with probability 1/2, brightness and contrast
    /// factors in [0.6, 1.4]. <c>[B, 3, H, W]</c> -> <c>[B, 3, H, W]</c>.
    /// </summary>
    public static Tensor CropFlipContrast(Tensor x, Generator g)
    {
        long b = x.shape[0];
        var scale = (0.3 + 0.7 * rand([b], generator: g)).sqrt();           // side of the crop, relative
        var flip = rand([b], generator: g).lt(0.5).to(ScalarType.Float32) * -2 + 1; // -1 flips
        var tx = (1 - scale) * (rand([b], generator: g) * 2 - 1);
        var ty = (1 - scale) * (rand([b], generator: g) * 2 - 1);
        var zero = zeros([b]);
        var theta = stack([stack([scale * flip, zero, tx], 1), stack([zero, scale, ty], 1)], 1); // [B, 2, 3]
        var grid = nn.functional.affine_grid(theta, [b, x.shape[1], x.shape[2], x.shape[3]], align_corners: false);
        var y = nn.functional.grid_sample(x, grid, align_corners: false);  // [B, 3, H, W]
        var brightness = (0.6 + 0.8 * rand([b, 1, 1, 1], generator: g));
        var contrast = (0.6 + 0.8 * rand([b, 1, 1, 1], generator: g));
        y = y * brightness;
        var mean = y.mean([1, 2, 3], keepdim: true);                        // [B, 1, 1, 1]
        return ((y - mean) * contrast + mean).clamp(0, 1);
    }
}
