using System.Globalization;

namespace SslCourse.Exercises;

/// <summary>
/// The two rules a training check is decided by, in one place: the check that runs in the student's notebook
/// (<c>CheckBuilder.Decreases</c>, <c>CheckBuilder.Learns</c>) and the grader that decides the same parts from their
/// evidence (<c>SslCourse.Notebooks.GradeVerdict</c>, which compiles this file in, as the grader does not load the
/// course library).
/// </summary>
static class TrainingRules
{
    /// <summary>Null when there are at least two losses, all finite, and the mean of the last quarter is below the
    /// first; else what went wrong.</summary>
    public static string? LossFailure(IReadOnlyList<double> losses)
    {
        if (losses.Count < 2) return "expected at least two losses.";
        int at = losses.ToList().FindIndex(l => !double.IsFinite(l));
        if (at >= 0) return $"expected a finite loss, got {Num(losses[at])} at step {at + 1} of {losses.Count}.";
        var (last, quarter) = LastQuarter(losses);
        return last < losses[0] ? null
            : $"expected the loss to decrease over {losses.Count} steps, but it went from {Num(losses[0])} to {Num(last)} (mean of the last {quarter}).";
    }

    /// <summary>The mean of the last quarter of <paramref name="losses"/> (at least the last one), and how many that is:
    /// the "end" of a training run the rules compare with its first loss.</summary>
    public static (double Mean, int Count) LastQuarter(IReadOnlyList<double> losses)
    {
        int quarter = Math.Max(1, losses.Count / 4);
        return (losses.Skip(losses.Count - quarter).Average(), quarter);
    }

    /// <summary>The score a trained model must beat: the best random initialisation's score plus a margin of the
    /// random scores' spread (max - min), at least <paramref name="minMargin"/>.</summary>
    public static (double Best, double Margin) LearnsBar(IReadOnlyList<double> randomScores, double minMargin)
    {
        double best = randomScores.Max();
        return (best, Math.Max(minMargin, best - randomScores.Min()));
    }

    /// <summary>A number in messages: four significant digits, invariant culture.</summary>
    public static string Num(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
