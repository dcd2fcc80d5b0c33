using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SslCourse.Evaluation;

/// <summary>
/// One measured quantity of a run: a name and the values of its repeats (seeds, label draws, folds). Its spread is
/// the sample standard deviation of the values (0 for a single value: one run is not a measurement, so a rule that
/// compares against the spread should then be given a floor).
/// </summary>
/// <param name="Name">What was measured, e.g. "SimCLR, probe with 10 labels/class".</param>
/// <param name="Values">The repeats; at least one, all finite.</param>
public sealed record Measured(string Name, IReadOnlyList<double> Values)
{
    /// <summary>The mean of the values.</summary>
    public double Mean => Values.Average();

    /// <summary>The sample standard deviation of the values (n − 1 in the denominator); 0 for one value.</summary>
    public double Spread
    {
        get
        {
            if (Values.Count < 2) return 0;
            double mean = Mean;
            return Math.Sqrt(Values.Sum(v => (v - mean) * (v - mean)) / (Values.Count - 1));
        }
    }

    /// <summary>How many repeats.</summary>
    public int Count => Values.Count;

    /// <summary>A single measured value.</summary>
    public static implicit operator Measured((string Name, double Value) m) => new(m.Name, [m.Value]);

    /// <summary>Repeats of one measurement.</summary>
    public static implicit operator Measured((string Name, IReadOnlyList<double> Values) m) => new(m.Name, m.Values);

    /// <summary>Repeats of one measurement.</summary>
    public static implicit operator Measured((string Name, double[] Values) m) => new(m.Name, m.Values);

    /// <summary>Repeats of one measurement.</summary>
    public static implicit operator Measured((string Name, List<double> Values) m) => new(m.Name, m.Values);

    /// <summary><c>name 61.7 ± 1.6 (n = 3)</c>, or <c>name 61.7</c> for one value.</summary>
    public string Describe(string format) =>
        Count == 1 ? $"{Name} {Mean.ToString(format, CultureInfo.InvariantCulture)}"
                   : $"{Name} {Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Spread.ToString(format, CultureInfo.InvariantCulture)} (n = {Count})";

    internal void Validate(string argument)
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a measurement needs a name.", argument);
        if (Values == null || Values.Count == 0) throw new ArgumentException($"measurement '{Name}' has no values.", argument);
        if (Values.Any(v => !double.IsFinite(v))) throw new ArgumentException($"measurement '{Name}' has a value that is not finite ({string.Join(", ", Values)}).", argument);
    }
}

/// <summary>
/// A conclusion a notebook draws from its own run, checked by a stated rule: the words of the claim, the measured
/// values with their spread, the rule, and whether it held. A notebook prints the verdict under the experiment instead
/// of writing the run's numbers into its prose; <c>ssl-course run</c> collects every verdict of a run (they carry a
/// MIME type of their own, <see cref="MimeType"/>) into its summary and a claims file.
/// </summary>
/// <remarks>
/// The rules compare a margin with the larger spread of the measurements involved, as a reader would judge two
/// bars with error bars (notebook 10's verdict table): a difference smaller than the run-to-run spread is not shown
/// by the run. A <c>floor</c> sets the smallest margin that counts, for single runs or quantities whose noise is
/// known from elsewhere.
/// </remarks>
public sealed record Claim
{
    /// <summary>The MIME type under which a claim's JSON form appears in a notebook's outputs.</summary>
    public const string MimeType = "application/vnd.ssl-course.claim+json";

    /// <summary>The claim in words, e.g. "SimCLR's features beat a random encoder's".</summary>
    public required string Statement { get; init; }

    /// <summary>The rule in words, e.g. "mean difference > larger spread (and > 1)".</summary>
    public required string Rule { get; init; }

    /// <summary>The measurements the rule used.</summary>
    public required IReadOnlyList<Measured> Measurements { get; init; }

    /// <summary>Whether the run shows the claim.</summary>
    public required bool Holds { get; init; }

    /// <summary>The quantity the rule compared (a difference, or a distance to a threshold).</summary>
    public required double Margin { get; init; }

    /// <summary>What the margin had to beat (the larger spread, or the floor).</summary>
    public required double Needed { get; init; }

    /// <summary>What the literature or the lecture leads one to expect, if given.</summary>
    public string? Expected { get; init; }

    /// <summary>The number format used in <see cref="ToString"/>.</summary>
    public string Format { get; init; } = "0.0##";

    /// <summary>
    /// Claims that <paramref name="better"/> exceeds <paramref name="baseline"/>: holds when the difference of the means
    /// is larger than the larger of the two spreads and than <paramref name="floor"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A measurement is empty or not finite, or the statement is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">floor is negative or not finite.</exception>
    public static Claim Exceeds(string statement, Measured better, Measured baseline, double floor = 0, string? expected = null, string format = "0.0##")
    {
        Validate(statement, floor, better, baseline);
        double margin = better.Mean - baseline.Mean, needed = Math.Max(floor, Math.Max(better.Spread, baseline.Spread));
        return new Claim
        {
            Statement = statement, Measurements = [better, baseline], Margin = margin, Needed = needed, Holds = margin > needed,
            Rule = $"{better.Name} − {baseline.Name} > larger spread" + FloorText(floor, format), Expected = expected, Format = format,
        };
    }

    /// <summary>Claims that <paramref name="measured"/> lies above <paramref name="threshold"/>: holds when its mean
    /// exceeds the threshold by more than its spread and than <paramref name="floor"/>.</summary>
    /// <exception cref="ArgumentException">The measurement is empty or not finite, the threshold is not finite, or the statement is blank.</exception>
    public static Claim Above(string statement, Measured measured, double threshold, string thresholdName, double floor = 0, string? expected = null, string format = "0.0##")
    {
        Validate(statement, floor, measured);
        if (!double.IsFinite(threshold)) throw new ArgumentException($"threshold {threshold} is not finite.", nameof(threshold));
        double margin = measured.Mean - threshold, needed = Math.Max(floor, measured.Spread);
        return new Claim
        {
            Statement = statement, Measurements = [measured], Margin = margin, Needed = needed, Holds = margin > needed,
            Rule = $"{measured.Name} − {thresholdName} ({threshold.ToString(format, CultureInfo.InvariantCulture)}) > its spread" + FloorText(floor, format),
            Expected = expected, Format = format,
        };
    }

    /// <summary>Claims that <paramref name="measured"/> lies below <paramref name="threshold"/>: holds when its mean is
    /// below the threshold by more than its spread and than <paramref name="floor"/>.</summary>
    /// <exception cref="ArgumentException">The measurement is empty or not finite, the threshold is not finite, or the statement is blank.</exception>
    public static Claim Below(string statement, Measured measured, double threshold, string thresholdName, double floor = 0, string? expected = null, string format = "0.0##")
    {
        Validate(statement, floor, measured);
        if (!double.IsFinite(threshold)) throw new ArgumentException($"threshold {threshold} is not finite.", nameof(threshold));
        double margin = threshold - measured.Mean, needed = Math.Max(floor, measured.Spread);
        return new Claim
        {
            Statement = statement, Measurements = [measured], Margin = margin, Needed = needed, Holds = margin > needed,
            Rule = $"{thresholdName} ({threshold.ToString(format, CultureInfo.InvariantCulture)}) − {measured.Name} > its spread" + FloorText(floor, format),
            Expected = expected, Format = format,
        };
    }

    /// <summary>
    /// Claims that two measurements do not differ by more than <paramref name="tolerance"/>: holds when the absolute
    /// difference of the means is at most the tolerance or, when the spreads are larger, at most the larger spread.
    /// </summary>
    /// <exception cref="ArgumentException">A measurement is empty or not finite, or the statement is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">tolerance is negative or not finite.</exception>
    public static Claim Similar(string statement, Measured a, Measured b, double tolerance, string? expected = null, string format = "0.0##")
    {
        Validate(statement, tolerance, a, b);
        double margin = Math.Abs(a.Mean - b.Mean), needed = Math.Max(tolerance, Math.Max(a.Spread, b.Spread));
        return new Claim
        {
            Statement = statement, Measurements = [a, b], Margin = margin, Needed = needed, Holds = margin <= needed,
            Rule = $"|{a.Name} − {b.Name}| ≤ max(larger spread, {tolerance.ToString(format, CultureInfo.InvariantCulture)})", Expected = expected, Format = format,
        };
    }

    /// <summary>
    /// Claims that every value of <paramref name="sequence"/> is at most the one before it (allowing rises up to
    /// <paramref name="tolerance"/>), e.g. a loss curve or accuracy against a growing amount of label noise.
    /// The margin is the largest rise found (0 when none).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two values, a value not finite, or the statement is blank.</exception>
    public static Claim NonIncreasing(string statement, Measured sequence, double tolerance = 0, string? expected = null, string format = "0.0##")
    {
        Validate(statement, tolerance, sequence);
        if (sequence.Count < 2) throw new ArgumentException($"'{sequence.Name}' needs at least two values to be a sequence.", nameof(sequence));
        double worst = 0;
        for (int i = 1; i < sequence.Count; i++) worst = Math.Max(worst, sequence.Values[i] - sequence.Values[i - 1]);
        return new Claim
        {
            Statement = statement, Measurements = [sequence], Margin = worst, Needed = tolerance, Holds = worst <= tolerance,
            Rule = $"no value of {sequence.Name} rises above the one before it by more than {tolerance.ToString(format, CultureInfo.InvariantCulture)}",
            Expected = expected, Format = format,
        };
    }

    /// <summary>
    /// Claims that every value of <paramref name="sequence"/> is at least the one before it (allowing falls up to
    /// <paramref name="tolerance"/>), e.g. accuracy against a growing number of labels. The margin is the largest fall
    /// found (0 when none).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two values, a value not finite, or the statement is blank.</exception>
    public static Claim NonDecreasing(string statement, Measured sequence, double tolerance = 0, string? expected = null, string format = "0.0##")
    {
        Validate(statement, tolerance, sequence);
        if (sequence.Count < 2) throw new ArgumentException($"'{sequence.Name}' needs at least two values to be a sequence.", nameof(sequence));
        double worst = 0;
        for (int i = 1; i < sequence.Count; i++) worst = Math.Max(worst, sequence.Values[i - 1] - sequence.Values[i]);
        return new Claim
        {
            Statement = statement, Measurements = [sequence], Margin = worst, Needed = tolerance, Holds = worst <= tolerance,
            Rule = $"no value of {sequence.Name} falls below the one before it by more than {tolerance.ToString(format, CultureInfo.InvariantCulture)}",
            Expected = expected, Format = format,
        };
    }

    static string FloorText(double floor, string format) => floor > 0 ? $" and > {floor.ToString(format, CultureInfo.InvariantCulture)}" : "";

    static void Validate(string statement, double floor, params Measured[] measurements)
    {
        if (string.IsNullOrWhiteSpace(statement)) throw new ArgumentException("a claim needs a statement in words.", nameof(statement));
        if (!double.IsFinite(floor) || floor < 0) throw new ArgumentOutOfRangeException(nameof(floor), floor, "the floor (or tolerance) must be finite and not negative.");
        foreach (var m in measurements)
        {
            ArgumentNullException.ThrowIfNull(m);
            m.Validate(nameof(measurements));
        }
    }

    /// <summary>
    /// One line: <c>✓ holds: statement — a 61.7 ± 1.6 (n = 3) vs b 23.4 ± 2.3 (n = 3); margin 38.3, needed &gt; 2.3</c>
    /// (<c>✗ does not hold</c> otherwise), with the expectation after it when one was given.
    /// </summary>
    public override string ToString()
    {
        string F(double v) => v.ToString(Format, CultureInfo.InvariantCulture);
        var verdict = Holds ? "✓ holds" : "✗ does not hold";
        var values = string.Join(" vs ", Measurements.Select(m => m.Describe(Format)));
        var comparison = Rule.StartsWith('|') || Rule.StartsWith("no value", StringComparison.Ordinal) ? $"{F(Margin)}, allowed ≤ {F(Needed)}" : $"{F(Margin)}, needed > {F(Needed)}";
        var line = $"{verdict}: {Statement} — {values}; margin {comparison} (rule: {Rule})";
        return Expected == null ? line : $"{line}. Expected: {Expected}";
    }

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The claim as JSON (statement, rule, holds, margin, needed, expected, measurements with name, values,
    /// mean, spread and count): what the notebook output carries under <see cref="MimeType"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        Statement, Rule, Holds, Margin, Needed, Expected,
        Measurements = Measurements.Select(m => new { m.Name, m.Values, m.Mean, m.Spread, m.Count }),
    }, JsonOptions);
}
