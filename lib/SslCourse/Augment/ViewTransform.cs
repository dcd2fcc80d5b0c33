using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// A batched random transform: maps images [N, C, H, W] in 0..1 to [N, C, H', W'], drawing every random parameter
/// per image from the generator passed in (so a batch of identical images gives different views, and the same
/// generator state gives the same views).
/// </summary>
public interface IViewTransform
{
    /// <summary>Applies the transform: [N, C, H, W] -> [N, C, H', W'].</summary>
    Tensor Apply(Tensor images, Generator generator);
}

/// <summary>Helpers shared by the batched augmentations.</summary>
public static class ViewTransforms
{
    /// <summary>Per-image uniform draws in [lo, hi): [N] float32.</summary>
    public static Tensor Uniform(long n, double lo, double hi, Generator generator) =>
        rand(n, generator: generator).mul_(hi - lo).add_(lo);

    /// <summary>Per-image coin flips with probability p: [N] bool.</summary>
    public static Tensor Bernoulli(long n, double p, Generator generator) => rand(n, generator: generator).lt(p);

    /// <summary>The transform as a loader view function.</summary>
    public static Func<Tensor, Generator, Tensor> AsView(this IViewTransform t) => t.Apply;

    /// <summary>Two views from the same transform (SimCLR).</summary>
    public static IReadOnlyList<Func<Tensor, Generator, Tensor>> Twice(this IViewTransform t) => [t.Apply, t.Apply];

    /// <summary>One view from each transform (BYOL's two asymmetric views, multi-crop).</summary>
    public static IReadOnlyList<Func<Tensor, Generator, Tensor>> Views(params IViewTransform[] transforms) =>
        transforms.Select(t => (Func<Tensor, Generator, Tensor>)t.Apply).ToArray();

    internal static void CheckProbability(double p, string name)
    {
        if (p < 0 || p > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(name, p, $"{name} must lie in [0, 1].");
    }

    internal static void CheckImages(Tensor x, string name = "images")
    {
        if (x.dim() != 4) throw new ArgumentException($"{name}: expected [N, C, H, W], got [{string.Join(", ", x.shape)}].", name);
    }
}

/// <summary>Applies transforms in order (each drawing its own per-image parameters).</summary>
public sealed class Compose(params IViewTransform[] transforms) : IViewTransform
{
    /// <summary>The transforms, in order.</summary>
    public IReadOnlyList<IViewTransform> Transforms { get; } = transforms;

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = images;
        foreach (var t in Transforms) x = t.Apply(x, generator);
        return (ReferenceEquals(x, images) ? x.alias() : x).MoveToOuterDisposeScope();
    }
}
