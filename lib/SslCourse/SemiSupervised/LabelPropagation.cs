using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>
/// Label propagation by local and global consistency (Zhou, Bousquet, Lal, Weston, Schölkopf, NeurIPS 2004):
/// F(t+1) = alpha S F(t) + (1 - alpha) Y, with S the normalised kNN affinity and Y the one-hot known labels
/// (zero rows for unlabelled points). Each step lets every point take a weighted vote of its neighbours' scores
/// while labelled points keep pulling towards their label.
/// </summary>
public static class LabelPropagation
{
    /// <summary>One-hot seed matrix Y: row i is the one-hot label when labels[i] >= 0, zeros when labels[i] = -1 (unlabelled).</summary>
    /// <param name="labels">[N] int64, -1 for unlabelled.</param>
    /// <param name="classes">Number of classes.</param>
    /// <returns>[N, C] float32.</returns>
    public static Tensor Seeds(Tensor labels, int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "need at least 2 classes.");
        using var scope = NewDisposeScope();
        var known = labels >= 0;
        var onehot = nn.functional.one_hot(labels.clamp_min(0), classes).to_type(ScalarType.Float32);
        return (onehot * known.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>One propagation step: alpha S F + (1 - alpha) Y.</summary>
    /// <param name="normalisedAffinity">[N, N] S from <see cref="KnnGraph.Normalise"/>.</param>
    /// <param name="scores">[N, C] current scores F.</param>
    /// <param name="seeds">[N, C] Y.</param>
    /// <param name="alpha">How much a point listens to its neighbours, in (0, 1); 0.99 in the paper.</param>
    /// <returns>[N, C].</returns>
    public static Tensor Step(Tensor normalisedAffinity, Tensor scores, Tensor seeds, double alpha = 0.99)
    {
        if (alpha <= 0 || alpha >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
        return alpha * normalisedAffinity.to_type(scores.dtype).matmul(scores) + (1 - alpha) * seeds;   // [N,N] x [N,C]
    }

    /// <summary>Runs <paramref name="steps"/> propagation steps from F = Y and returns the predicted class per point
    /// (points no label reached get -1) and the per-step history of predictions if asked.</summary>
    /// <param name="points">[N, D].</param>
    /// <param name="labels">[N] int64, -1 for unlabelled.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="k">Neighbours in the graph.</param>
    /// <param name="alpha">See <see cref="Step"/>.</param>
    /// <param name="steps">Iterations (the series converges geometrically at rate alpha).</param>
    /// <returns>Predicted labels [N] int64 and the final scores [N, C].</returns>
    public static (Tensor Predictions, Tensor Scores) Run(Tensor points, Tensor labels, int classes, int k = 10, double alpha = 0.99, int steps = 200)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be >= 1.");
        using var scope = NewDisposeScope();
        var s = KnnGraph.Normalise(KnnGraph.Affinity(points, k));
        var y = Seeds(labels, classes);
        var f = y.clone();
        for (int t = 0; t < steps; t++) f = Step(s, f, y, alpha);
        var predictions = f.argmax(1).where(f.sum(1) > 0, full_like(labels, -1));
        return (predictions.MoveToOuterDisposeScope(), f.MoveToOuterDisposeScope());
    }

    /// <summary>The closed form the iteration converges to: F* = (1 - alpha) (I - alpha S)^-1 Y.</summary>
    /// <param name="normalisedAffinity">[N, N] S.</param>
    /// <param name="seeds">[N, C] Y.</param>
    /// <param name="alpha">In (0, 1).</param>
    /// <returns>[N, C].</returns>
    public static Tensor ClosedForm(Tensor normalisedAffinity, Tensor seeds, double alpha = 0.99)
    {
        using var scope = NewDisposeScope();
        var s = normalisedAffinity.to_type(ScalarType.Float64);
        var system = eye(s.shape[0], dtype: ScalarType.Float64) - alpha * s;
        var f = linalg.solve(system, seeds.to_type(ScalarType.Float64)) * (1 - alpha);
        return f.to_type(seeds.dtype).MoveToOuterDisposeScope();
    }
}
