using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// The context prediction task (Doersch, Gupta and Efros, ICCV 2015): a centre patch and one of its 8 neighbours in
/// a 3x3 grid, separated by a gap and each moved by a random jitter, labelled by the neighbour's position 0..7
/// (0 top-left, 1 top, 2 top-right, 3 left, 4 right, 5 bottom-left, 6 bottom, 7 bottom-right).
/// </summary>
public sealed class ContextPairs
{
    /// <summary>Patch side in pixels.</summary>
    public int Patch { get; }
    /// <summary>Pixels between neighbouring patches.</summary>
    public int Gap { get; }
    /// <summary>Each patch moves by up to this many pixels in x and y.</summary>
    public int Jitter { get; }

    static readonly int[] Dy = [-1, -1, -1, 0, 0, 1, 1, 1], Dx = [-1, 0, 1, -1, 1, -1, 0, 1];

    public ContextPairs(int patch = 8, int gap = 2, int jitter = 1)
    {
        if (patch < 1) throw new ArgumentOutOfRangeException(nameof(patch), patch, "patch must be positive.");
        if (gap < 0) throw new ArgumentOutOfRangeException(nameof(gap), gap, "gap must be >= 0.");
        if (jitter < 0) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "jitter must be >= 0.");
        (Patch, Gap, Jitter) = (patch, gap, jitter);
    }

    /// <summary>Pixels the 3x3 layout needs, jitter included.</summary>
    public int Extent => 3 * Patch + 2 * Gap + 2 * Jitter;

    /// <summary>Per-image draws: labels [N] int64 and corners (tops, lefts) [N, 2] int64 of (centre, neighbour).</summary>
    public (Tensor Labels, Tensor Tops, Tensor Lefts) Sample(long n, long height, long width, Generator generator)
    {
        if (Extent > height || Extent > width)
            throw new ArgumentException($"patch {Patch}, gap {Gap} and jitter {Jitter} need {Extent}x{Extent} pixels; the images are {height}x{width}.");
        using var scope = NewDisposeScope();
        var labels = randint(0, 8, [n], dtype: ScalarType.Int64, generator: generator);
        int step = Patch + Gap;
        // top-left corner of the un-jittered centre patch, so that the whole grid (with jitter) fits
        var cy = randint(Jitter + step, height - Jitter - step - Patch + 1, [n], dtype: ScalarType.Int64, generator: generator);
        var cx = randint(Jitter + step, width - Jitter - step - Patch + 1, [n], dtype: ScalarType.Int64, generator: generator);
        var dy = tensor(Dy.Select(v => (long)v).ToArray()).index_select(0, labels);
        var dx = tensor(Dx.Select(v => (long)v).ToArray()).index_select(0, labels);
        var jitter = randint(-Jitter, Jitter + 1, [n, 2, 2], dtype: ScalarType.Int64, generator: generator);      // [N, patch, (y, x)]
        var tops = stack([cy, cy + dy * step], 1) + jitter[.., .., 0];                   // [N, 2]
        var lefts = stack([cx, cx + dx * step], 1) + jitter[.., .., 1];
        return (labels.MoveToOuterDisposeScope(), tops.MoveToOuterDisposeScope(), lefts.MoveToOuterDisposeScope());
    }

    /// <summary>[N, C, H, W] -> centre [N, C, p, p], neighbour [N, C, p, p], labels [N] int64.</summary>
    public (Tensor Centre, Tensor Neighbour, Tensor Labels) Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        var (labels, tops, lefts) = Sample(images.shape[0], images.shape[2], images.shape[3], generator);
        var patches = Patches.Extract(images, tops, lefts, Patch);                       // [N, 2, C, p, p]
        return (patches[.., 0].contiguous().MoveToOuterDisposeScope(), patches[.., 1].contiguous().MoveToOuterDisposeScope(), labels.to(images.device).MoveToOuterDisposeScope());
    }
}
