using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>A 2-D toy set: points [N, 2] float32, labels [N] int64, and which points keep their label.</summary>
/// <param name="Points">[N, 2] coordinates.</param>
/// <param name="Labels">[N] int64 true classes (all of them, for evaluation).</param>
/// <param name="Labelled">[N] bool: true for the points whose label a semi-supervised method may see.</param>
public sealed record Toy2DSet(Tensor Points, Tensor Labels, Tensor Labelled) : IDisposable
{
    /// <summary>Number of points.</summary>
    public int Count => (int)Points.shape[0];
    /// <summary>Indices of the labelled points, [K] int64.</summary>
    public Tensor LabelledIndices => Labelled.nonzero().squeeze(1);
    /// <inheritdoc/>
    public void Dispose() { Points.Dispose(); Labels.Dispose(); Labelled.Dispose(); }
}

/// <summary>
/// The 2-D sets of the semi-supervised lessons (notebook 02): two moons, concentric circles and Gaussian blobs, with
/// Gaussian noise and a chosen number of labelled points per class. All draws come from the generator passed in.
/// </summary>
public static class Toy2D
{
    /// <summary>Two interleaved half circles (as in scikit-learn's make_moons): class 0 the upper moon centred at
    /// (0, 0), class 1 the lower one centred at (1, 0.5); <paramref name="count"/> points split evenly.</summary>
    public static Toy2DSet Moons(int count, double noise, int labelsPerClass, Generator generator)
    {
        Validate(count, noise, labelsPerClass, 2);
        using var scope = NewDisposeScope();
        var y = arange(count, dtype: ScalarType.Int64) % 2;                         // [N] alternating classes
        var t = rand(count, generator: generator) * Math.PI;                          // [N] angle along the moon
        var upper = stack([cos(t), sin(t)], 1);                                       // [N, 2]
        var lower = stack([1 - cos(t), 0.5 - sin(t)], 1);                             // [N, 2]
        var points = where(y.unsqueeze(1).eq(0), upper, lower);
        return Finish(points, y, noise, labelsPerClass, 2, generator);
    }

    /// <summary>Two concentric circles: class 0 of radius 1, class 1 of radius <paramref name="factor"/> (0 &lt; factor &lt; 1).</summary>
    public static Toy2DSet Circles(int count, double noise, int labelsPerClass, Generator generator, double factor = 0.5)
    {
        Validate(count, noise, labelsPerClass, 2);
        if (factor <= 0 || factor >= 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must lie in (0, 1).");
        using var scope = NewDisposeScope();
        var y = arange(count, dtype: ScalarType.Int64) % 2;
        var t = rand(count, generator: generator) * (2 * Math.PI);
        var radius = where(y.eq(0), ones(count), full(count, factor));
        var points = stack([cos(t) * radius, sin(t) * radius], 1);                     // [N, 2]
        return Finish(points, y, noise, labelsPerClass, 2, generator);
    }

    /// <summary><paramref name="classes"/> isotropic Gaussian blobs with standard deviation <paramref name="noise"/>,
    /// centres evenly spaced on a circle of radius <paramref name="spread"/>.</summary>
    public static Toy2DSet Blobs(int count, int classes, double noise, int labelsPerClass, Generator generator, double spread = 2.0)
    {
        Validate(count, noise, labelsPerClass, classes);
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "need at least 2 classes.");
        using var scope = NewDisposeScope();
        var y = arange(count, dtype: ScalarType.Int64) % classes;
        var angle = y.to_type(ScalarType.Float32) * (2 * Math.PI / classes);
        var points = stack([cos(angle) * spread, sin(angle) * spread], 1);
        return Finish(points, y, noise, labelsPerClass, classes, generator);
    }

    static Toy2DSet Finish(Tensor points, Tensor y, double noise, int labelsPerClass, int classes, Generator generator)
    {
        var noisy = (points + randn(points.shape, generator: generator) * noise).to_type(ScalarType.Float32);
        var labelled = zeros(y.shape[0], dtype: ScalarType.Bool);
        for (int c = 0; c < classes; c++)
        {
            var members = y.eq(c).nonzero().squeeze(1);                               // [Nc]
            var pick = members.index_select(0, randperm(members.shape[0], generator: generator)[..labelsPerClass]);
            labelled.index_fill_(0, pick, true);
        }
        return new Toy2DSet(noisy.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), labelled.MoveToOuterDisposeScope());
    }

    static void Validate(int count, double noise, int labelsPerClass, int classes)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 2.");
        if (noise < 0) throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be >= 0.");
        if (labelsPerClass < 0 || labelsPerClass * classes > count || labelsPerClass > count / Math.Max(classes, 1))
            throw new ArgumentOutOfRangeException(nameof(labelsPerClass), labelsPerClass, $"labelsPerClass must lie in 0..{count / Math.Max(classes, 1)} for {count} points in {classes} classes.");
    }
}
