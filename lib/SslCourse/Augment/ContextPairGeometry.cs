using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// The geometry of <see cref="ContextPairs"/> in numbers, for checking a pair sampler: the grid direction of each of
/// the 8 labels and how far a sampled neighbour lies from where the label says it should be.
/// </summary>
public static class ContextPairGeometry
{
    static readonly long[] Dy = [-1, -1, -1, 0, 0, 1, 1, 1], Dx = [-1, 0, 1, -1, 1, -1, 0, 1];

    /// <summary>The names of the 8 relative positions, in label order (0 top-left ... 7 bottom-right).</summary>
    public static IReadOnlyList<string> Names { get; } = ["top-left", "top", "top-right", "left", "right", "bottom-left", "bottom", "bottom-right"];

    /// <summary>Grid direction (dy, dx) in -1..1 of each label: labels [N] int64 in 0..7 -> [N, 2] int64.</summary>
    public static Tensor Direction(Tensor labels)
    {
        if (labels.dim() != 1) throw new ArgumentException($"labels must be [N]; got [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (labels.numel() > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() > 7))
            throw new ArgumentException("labels must lie in 0..7.", nameof(labels));
        using var scope = NewDisposeScope();
        var l = labels.to_type(ScalarType.Int64);
        return stack([tensor(Dy).index_select(0, l), tensor(Dx).index_select(0, l)], 1).MoveToOuterDisposeScope(); // [N, 2]
    }

    /// <summary>How far each neighbour is from its ideal place: (neighbour corner - centre corner) - direction * step,
    /// as (dy, dx) [N, 2] int64, where step = patch + gap. Zero without jitter; within ±2 jitter with it (both patches
    /// move by up to the jitter).</summary>
    /// <param name="labels">[N] int64 in 0..7</param>
    /// <param name="tops">[N, 2] int64: rows of the (centre, neighbour) top-left corners</param>
    /// <param name="lefts">[N, 2] int64: columns of the corners</param>
    /// <param name="step">patch + gap</param>
    public static Tensor Residual(Tensor labels, Tensor tops, Tensor lefts, int step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be positive.");
        if (tops.dim() != 2 || tops.shape[1] != 2 || !tops.shape.SequenceEqual(lefts.shape) || tops.shape[0] != labels.shape[0])
            throw new ArgumentException($"tops and lefts must be [N, 2] with N = {labels.shape[0]}; got [{string.Join(", ", tops.shape)}] and [{string.Join(", ", lefts.shape)}].");
        using var scope = NewDisposeScope();
        var offset = stack([tops[.., 1] - tops[.., 0], lefts[.., 1] - lefts[.., 0]], 1).to_type(ScalarType.Int64); // [N, 2]
        return (offset - Direction(labels) * step).MoveToOuterDisposeScope();
    }
}
