namespace SslCourse.Labels;

/// <summary>
/// The power law that accuracy usually follows as labels grow: error(n) = a * n^(-b) + c, with c the error left
/// at infinite data (Hestness et al., "Deep learning scaling is predictable, empirically", 2017).
/// </summary>
/// <param name="A">Scale.</param>
/// <param name="B">Exponent (how fast error falls).</param>
/// <param name="C">Irreducible error.</param>
public sealed record LearningCurve(double A, double B, double C)
{
    /// <summary>Predicted error at <paramref name="n"/> labels.</summary>
    public double Error(double n) => A * Math.Pow(n, -B) + C;

    /// <summary>Predicted accuracy at <paramref name="n"/> labels.</summary>
    public double Accuracy(double n) => 1 - Error(n);

    /// <summary>Labels needed to reach <paramref name="accuracy"/>, or +infinity if the curve never gets there.</summary>
    public double LabelsFor(double accuracy)
    {
        double excess = 1 - accuracy - C;
        return excess <= 0 ? double.PositiveInfinity : Math.Pow(A / excess, 1 / B);
    }

    /// <summary>
    /// Fits the curve to (labels, accuracy) points: for each candidate c on a grid below the smallest error, a
    /// least-squares line through log(error - c) against log(n) gives a and b; the c with the smallest squared error
    /// in accuracy wins.
    /// </summary>
    /// <param name="labels">Label counts (positive).</param>
    /// <param name="accuracies">Accuracies in (0, 1), one per count.</param>
    public static LearningCurve Fit(IReadOnlyList<double> labels, IReadOnlyList<double> accuracies)
    {
        if (labels.Count != accuracies.Count) throw new ArgumentException($"{labels.Count} label counts but {accuracies.Count} accuracies.");
        if (labels.Count < 3) throw new ArgumentException("need at least 3 points to fit a + b + c.", nameof(labels));
        if (labels.Any(n => n <= 0)) throw new ArgumentOutOfRangeException(nameof(labels), "label counts must be positive.");
        var errors = accuracies.Select(a => 1 - a).ToArray();
        double minError = errors.Min();
        LearningCurve? best = null;
        double bestLoss = double.PositiveInfinity;
        for (int i = 0; i < 200; i++)
        {
            double c = minError * i / 200.0; // c in [0, min error)
            var xs = labels.Select(n => Math.Log(n)).ToArray();
            var ys = errors.Select(e => Math.Log(Math.Max(e - c, 1e-12))).ToArray();
            double mx = xs.Average(), my = ys.Average();
            double sxy = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum(), sxx = xs.Sum(x => (x - mx) * (x - mx));
            if (sxx == 0) break;
            double slope = sxy / sxx, intercept = my - slope * mx;
            var curve = new LearningCurve(Math.Exp(intercept), -slope, c);
            double loss = labels.Select((n, j) => Math.Pow(curve.Error(n) - errors[j], 2)).Sum();
            if (loss < bestLoss) { bestLoss = loss; best = curve; }
        }
        return best ?? throw new ArgumentException("all label counts are equal: no curve can be fitted.", nameof(labels));
    }
}
