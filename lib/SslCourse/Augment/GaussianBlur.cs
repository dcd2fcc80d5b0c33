using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// Gaussian blur with probability p and a per-image sigma drawn uniformly in SigmaMin..SigmaMax (SimCLR: 0.1-2.0 with a
/// kernel of 10% of the image side, p 0.5). Separable: a horizontal then a vertical 1-D kernel
/// exp(-d^2 / (2 sigma^2)), normalised to sum 1, with reflected borders; all images in one grouped convolution.
/// </summary>
public sealed class GaussianBlur : IViewTransform
{
    public double SigmaMin { get; }
    public double SigmaMax { get; }
    public double Probability { get; }
    /// <summary>Kernel side (odd); null: 10% of the image side, rounded to odd, at least 3.</summary>
    public int? KernelSize { get; }

    public GaussianBlur(double probability = 0.5, double sigmaMin = 0.1, double sigmaMax = 2.0, int? kernelSize = null)
    {
        ViewTransforms.CheckProbability(probability, nameof(probability));
        if (sigmaMin <= 0 || sigmaMin > sigmaMax) throw new ArgumentOutOfRangeException(nameof(sigmaMin), (sigmaMin, sigmaMax), "need 0 < sigmaMin <= sigmaMax.");
        if (kernelSize is int k && (k < 1 || k % 2 == 0)) throw new ArgumentOutOfRangeException(nameof(kernelSize), k, "kernelSize must be odd and positive.");
        (Probability, SigmaMin, SigmaMax, KernelSize) = (probability, sigmaMin, sigmaMax, kernelSize);
    }

    /// <summary>The kernel side used for images of side <paramref name="side"/>.</summary>
    public int KernelFor(long side) => KernelSize ?? Math.Max(3, (int)Math.Round(side * 0.1) | 1);

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        var sigma = ViewTransforms.Uniform(n, SigmaMin, SigmaMax, generator);
        var apply = ViewTransforms.Bernoulli(n, Probability, generator);
        var blurred = Blur(images, sigma, KernelFor(Math.Min(images.shape[2], images.shape[3])));
        return where(apply.view(-1, 1, 1, 1), blurred, images).MoveToOuterDisposeScope();
    }

    /// <summary>The normalised 1-D kernels: sigma [N] -> [N, K].</summary>
    public static Tensor Kernels(Tensor sigma, int kernelSize)
    {
        var d = arange(kernelSize, dtype: ScalarType.Float32) - (kernelSize - 1) / 2f;    // [K] offsets
        var k = (-(d * d).unsqueeze(0) / (2 * sigma.unsqueeze(1).pow(2))).exp();           // [N, K]
        return k / k.sum(1, keepdim: true);
    }

    /// <summary>Blurs each image with its own sigma: [N, C, H, W], [N] -> [N, C, H, W].</summary>
    public static Tensor Blur(Tensor images, Tensor sigma, int kernelSize)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        int pad = kernelSize / 2;
        var k = Kernels(sigma.to_type(ScalarType.Float32), kernelSize).to_type(images.dtype);  // [N, K]
        var kc = k.repeat_interleave(c, 0);                                                    // [N*C, K] one kernel per (image, channel)
        var x = images.reshape(1, n * c, h, w);                                                // [1, N*C, H, W] channels as groups
        x = nn.functional.pad(x, [pad, pad, 0, 0], TorchSharp.PaddingModes.Reflect);
        x = nn.functional.conv2d(x, kc.view(n * c, 1, 1, kernelSize), groups: n * c);         // horizontal pass
        x = nn.functional.pad(x, [0, 0, pad, pad], TorchSharp.PaddingModes.Reflect);
        x = nn.functional.conv2d(x, kc.view(n * c, 1, kernelSize, 1), groups: n * c);         // vertical pass
        return x.reshape(n, c, h, w).MoveToOuterDisposeScope();
    }
}
