using System.Globalization;

namespace SslCourse.Cli.Bench;

/// <summary>A speed ratio measured over several alternated rounds, reported as its median with the smallest and largest
/// round (single rounds on a shared machine vary by 2x, so one round is never the figure).</summary>
/// <param name="Median">the median round (the mean of the two middle ones for an even count)</param>
/// <param name="Min">the smallest round</param>
/// <param name="Max">the largest round</param>
/// <param name="Rounds">how many rounds</param>
public sealed record RoundSummary(double Median, double Min, double Max, int Rounds)
{
    /// <summary>The rounds the bench runs for a ratio it reports (at least 5; 1 in quick mode).</summary>
    public const int DefaultRounds = 5;

    /// <summary>Summarises <paramref name="values"/> (one per round, at least one, all finite).</summary>
    public static RoundSummary Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("at least one round is needed.", nameof(values));
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException($"every round must be finite; got {string.Join(", ", values)}.", nameof(values));
        return new RoundSummary(MedianOf(values), values.Min(), values.Max(), values.Count);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the two middle ones for an even count).</summary>
    public static double MedianOf(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        if (s.Length == 0) throw new ArgumentException("no values.", nameof(values));
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>"median 1.01 (min 1.00, max 1.10) over 5 rounds".</summary>
    public string Describe(string format = "0.00") => string.Create(CultureInfo.InvariantCulture,
        $"median {Median.ToString(format, CultureInfo.InvariantCulture)} (min {Min.ToString(format, CultureInfo.InvariantCulture)}, max {Max.ToString(format, CultureInfo.InvariantCulture)}) over {Rounds} alternated round(s)");
}
