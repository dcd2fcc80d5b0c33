namespace SslCourse.Labels;

/// <summary>
/// The straight-line step inside a learning-curve fit: with the error floor c fixed, error(n) - c = a * n^(-b) is a
/// straight line in log-log coordinates, log(error - c) = log a - b log n, so ordinary least squares gives a and b in
/// closed form (Hestness et al., "Deep learning scaling is predictable, empirically", 2017). <see cref="LearningCurve.Fit"/>
/// searches c; this fits one c, which is what a student writes by hand and what extrapolation with a known floor needs.
/// </summary>
public static class PowerLawFit
{
    /// <summary>Fits a and b of error(n) = a * n^(-b) + <paramref name="floor"/> by least squares on
    /// log(error - floor) against log n.</summary>
    /// <param name="labels">Label counts n (positive, at least two distinct).</param>
    /// <param name="accuracies">Accuracy (0..1) at each count; every error 1 - accuracy must exceed <paramref name="floor"/>.</param>
    /// <param name="floor">The error left at infinite data, c in [0, 1).</param>
    /// <returns>The curve (a, b, c = floor).</returns>
    public static LearningCurve WithFloor(IReadOnlyList<double> labels, IReadOnlyList<double> accuracies, double floor = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(accuracies);
        if (labels.Count != accuracies.Count)
            throw new ArgumentException($"{labels.Count} label counts but {accuracies.Count} accuracies.", nameof(accuracies));
        if (labels.Count < 2) throw new ArgumentException($"need at least 2 points to fit a and b; got {labels.Count}.", nameof(labels));
        if (!(floor >= 0 && floor < 1)) throw new ArgumentOutOfRangeException(nameof(floor), floor, "floor must be in [0, 1).");
        for (int i = 0; i < labels.Count; i++)
        {
            if (!(labels[i] > 0)) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label count {i} must be positive.");
            if (!(1 - accuracies[i] > floor))
                throw new ArgumentOutOfRangeException(nameof(accuracies), accuracies[i], $"accuracy {i} leaves an error of {1 - accuracies[i]}, not above the floor {floor}.");
        }
        var xs = labels.Select(n => Math.Log(n)).ToArray();                        // log n
        var ys = accuracies.Select(a => Math.Log(1 - a - floor)).ToArray(); // log(error - c)
        double mx = xs.Average(), my = ys.Average();
        double sxx = 0, sxy = 0;
        for (int i = 0; i < xs.Length; i++) { sxx += (xs[i] - mx) * (xs[i] - mx); sxy += (xs[i] - mx) * (ys[i] - my); }
        if (sxx == 0) throw new ArgumentException("all label counts are equal: no slope can be fitted.", nameof(labels));
        double slope = sxy / sxx;                                            // = -b
        return new LearningCurve(Math.Exp(my - slope * mx), -slope, floor);
    }
}
