using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>Pseudo-labels chosen from a model's predictions on unlabelled data.</summary>
/// <param name="Indices">[M] int64 positions of the chosen unlabelled examples.</param>
/// <param name="Labels">[M] int64 their pseudo-labels (the arg-max class).</param>
/// <param name="Weights">[M] float32 per-example weights for the loss (1 when unweighted).</param>
public sealed record PseudoLabelSet(Tensor Indices, Tensor Labels, Tensor Weights)
{
    /// <summary>Number of examples chosen.</summary>
    public long Count => Indices.shape[0];
}

/// <summary>
/// The variants of self-training's selection step (the lecture's pseudo-labelling loop, after Lee, ICML-W 2013, and
/// its classic form in Yarowsky 1995): keep every prediction, keep those above a confidence threshold, keep the
/// most confident few per class (class balance guards against one class swallowing the rest), or keep all and
/// weight each by its confidence.
/// </summary>
public static class PseudoLabels
{
    /// <summary>Every example, arg-max label, weight 1.</summary>
    /// <param name="probabilities">[N, C] class probabilities.</param>
    public static PseudoLabelSet All(Tensor probabilities)
    {
        Validate(probabilities);
        var n = probabilities.shape[0];
        return new(arange(n, dtype: ScalarType.Int64), probabilities.argmax(1), ones(n));
    }

    /// <summary>Examples whose top probability is at least <paramref name="threshold"/> (FixMatch uses 0.95).</summary>
    /// <param name="probabilities">[N, C].</param>
    /// <param name="threshold">In [0, 1].</param>
    public static PseudoLabelSet Confident(Tensor probabilities, double threshold)
    {
        Validate(probabilities);
        if (threshold < 0 || threshold > 1) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1].");
        var (conf, label) = probabilities.max(1);
        var idx = nonzero(conf >= threshold).squeeze(1);
        return new(idx, label.index_select(0, idx), ones(idx.shape[0]));
    }

    /// <summary>For each class, the <paramref name="perClass"/> examples predicted as that class with the highest
    /// confidence (fewer when fewer are predicted as it). Optionally only among those at or above <paramref name="threshold"/>.</summary>
    /// <param name="probabilities">[N, C].</param>
    /// <param name="perClass">At most this many per class (>= 1).</param>
    /// <param name="threshold">Minimum confidence, 0 for none.</param>
    public static PseudoLabelSet TopPerClass(Tensor probabilities, int perClass, double threshold = 0)
    {
        Validate(probabilities);
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "perClass must be >= 1.");
        var (conf, label) = probabilities.max(1);
        var confidence = conf.data<float>().ToArray();
        var labels = label.data<long>().ToArray();
        var chosen = new List<long>();
        for (long c = 0; c < probabilities.shape[1]; c++)
        {
            chosen.AddRange(Enumerable.Range(0, labels.Length)
                .Where(i => labels[i] == c && confidence[i] >= threshold)
                .OrderByDescending(i => confidence[i]).ThenBy(i => i)
                .Take(perClass).Select(i => (long)i));
        }
        chosen.Sort();
        var idx = tensor(chosen.ToArray(), dtype: ScalarType.Int64);
        return new(idx, label.index_select(0, idx), ones(idx.shape[0]));
    }

    /// <summary>Every example, weighted by its confidence raised to <paramref name="power"/> (1 = the confidence itself).</summary>
    /// <param name="probabilities">[N, C].</param>
    /// <param name="power">Sharpness of the weighting (> 0).</param>
    public static PseudoLabelSet ConfidenceWeighted(Tensor probabilities, double power = 1)
    {
        Validate(probabilities);
        if (power <= 0) throw new ArgumentOutOfRangeException(nameof(power), power, "power must be > 0.");
        var (conf, label) = probabilities.max(1);
        return new(arange(probabilities.shape[0], dtype: ScalarType.Int64), label, conf.pow(power).to_type(ScalarType.Float32));
    }

    /// <summary>The fraction of chosen pseudo-labels that are wrong, given the hidden true labels of all unlabelled examples.</summary>
    /// <param name="set">The chosen set.</param>
    /// <param name="trueLabels">[N] int64 true labels of the unlabelled pool.</param>
    public static double ErrorRate(PseudoLabelSet set, Tensor trueLabels) =>
        set.Count == 0 ? 0 : set.Labels.ne(trueLabels.index_select(0, set.Indices)).to_type(ScalarType.Float64).mean().item<double>();

    static void Validate(Tensor p)
    {
        if (p.dim() != 2) throw new ArgumentException($"probabilities: expected [N, C], got [{string.Join(", ", p.shape)}].", nameof(p));
    }
}

/// <summary>
/// Data distillation (Radosavovic, Dollár, Girshick, Gkioxari, He, CVPR 2018): one model, several transformations of
/// each unlabelled image, and the average of the predictions as the pseudo-label's distribution. The ensemble is
/// more accurate than any single view, so its pseudo-labels carry fewer mistakes.
/// </summary>
public static class DataDistillation
{
    /// <summary>Mean of the class probabilities over the transformed copies of the batch.</summary>
    /// <param name="predictProbabilities">The model: images [N, ...] -> probabilities [N, C].</param>
    /// <param name="images">[N, C, H, W] unlabelled images.</param>
    /// <param name="transforms">Label-preserving transforms (identity, flip, shifts, scales...), each [N,C,H,W] -> [N,C,H,W].</param>
    /// <returns>[N, C] averaged probabilities.</returns>
    public static Tensor Ensemble(Func<Tensor, Tensor> predictProbabilities, Tensor images, IReadOnlyList<Func<Tensor, Tensor>> transforms)
    {
        if (transforms.Count == 0) throw new ArgumentException("need at least one transform (include the identity).", nameof(transforms));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor? sum = null;
        foreach (var t in transforms)
        {
            var p = predictProbabilities(t(images));
            sum = sum is null ? p : sum + p;
        }
        return (sum! / transforms.Count).MoveToOuterDisposeScope();
    }

    /// <summary>The transforms the paper uses for classification-like tasks, in small: identity, horizontal flip, and
    /// shifts by <paramref name="shift"/> pixels in four directions (padding by edge replication).</summary>
    public static IReadOnlyList<Func<Tensor, Tensor>> FlipsAndShifts(int shift = 2)
    {
        if (shift < 0) throw new ArgumentOutOfRangeException(nameof(shift), shift, "shift must be >= 0.");
        Tensor Shift(Tensor x, int dy, int dx)
        {
            var padded = nn.functional.pad(x, [shift, shift, shift, shift], TorchSharp.PaddingModes.Replicate);
            long h = x.shape[2], w = x.shape[3];
            return padded[.., .., (shift + dy)..(int)(shift + dy + h), (shift + dx)..(int)(shift + dx + w)];
        }
        return
        [
            x => x,
            x => x.flip(3),
            x => Shift(x, shift, 0),
            x => Shift(x, -shift, 0),
            x => Shift(x, 0, shift),
            x => Shift(x, 0, -shift),
        ];
    }
}
