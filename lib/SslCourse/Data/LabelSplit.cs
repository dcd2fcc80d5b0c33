using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>Semi-supervised splits: a few labelled examples per class, the rest unlabelled.</summary>
public static class LabelSplit
{
    /// <summary>Draws <paramref name="perClass"/> labelled indices per class from <paramref name="labels"/> ([N] int64)
    /// with <paramref name="generator"/>; every other index is unlabelled.</summary>
    /// <returns>Labelled [K * perClass] and Unlabelled [N - K * perClass] int64 indices, each sorted.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A class has fewer than <paramref name="perClass"/> examples.</exception>
    public static (Tensor Labelled, Tensor Unlabelled) Split(Tensor labels, int perClass, Generator generator)
    {
        if (perClass < 0) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "perClass must be >= 0.");
        using var scope = NewDisposeScope();
        int classes = (int)labels.max().item<long>() + 1;
        var mask = zeros(labels.shape[0], dtype: ScalarType.Bool);
        for (int c = 0; c < classes; c++)
        {
            var members = labels.eq(c).nonzero().squeeze(1);                          // [Nc]
            if (members.shape[0] == 0) continue;
            if (members.shape[0] < perClass)
                throw new ArgumentOutOfRangeException(nameof(perClass), perClass, $"class {c} has only {members.shape[0]} examples.");
            var chosen = members.index_select(0, randperm(members.shape[0], generator: generator)[..perClass]);
            mask.index_fill_(0, chosen, true);
        }
        var labelled = mask.nonzero().squeeze(1);
        var unlabelled = mask.logical_not().nonzero().squeeze(1);
        return (labelled.MoveToOuterDisposeScope(), unlabelled.MoveToOuterDisposeScope());
    }

    /// <summary>The labelled part of <paramref name="set"/> (k per class) and the rest, as two new sets.</summary>
    public static (LabeledImages Labelled, LabeledImages Unlabelled) Split(LabeledImages set, int perClass, Generator generator)
    {
        var (l, u) = Split(set.Labels, perClass, generator);
        using (l) using (u) return (set.Select(l), set.Select(u));
    }
}
