using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace SslCourse.Display;

/// <summary>
/// The live display of <see cref="SslCourse.Training.ITrainingProgress"/> (what <see cref="Course.Init"/> makes the loops use).
/// Progress of a loop that runs for a while (training, evaluation): step, metrics, elapsed and remaining time.
/// In a notebook it is a text line updated in place (every <see cref="RefreshSeconds"/>) and, below it, a PNG of the
/// metric curves updated in place (every <see cref="ChartSeconds"/>, and once more at the end); both are published
/// with stable value ids (DisplayedValueProduced once, then DisplayedValueUpdated), so a saved notebook holds the
/// final line and the final curves. In a terminal it is a progress bar on standard error that redraws itself; in a
/// log (redirected output) a line every few seconds.
/// </summary>
/// <example><code>
/// using var progress = LiveProgress.Start("SimCLR", totalSteps: 500);
/// for (int step = 1; step &lt;= 500; step++) { ...; progress.Report(step, new() { ["loss"] = loss }); }
/// </code></example>
public sealed class LiveProgress : SslCourse.Training.ITrainingProgress
{
    readonly string _title;
    readonly Stopwatch _watch = Stopwatch.StartNew();
    readonly KernelInvocationContext? _context;
    readonly string _valueId = "ssl-course-progress-" + Guid.NewGuid().ToString("N");
    readonly string _chartValueId = "ssl-course-progress-chart-" + Guid.NewGuid().ToString("N");
    readonly bool _tty = !Console.IsErrorRedirected;
    readonly List<(int Step, Dictionary<string, double> Metrics)> _history = [];
    TimeSpan _lastDraw = TimeSpan.FromDays(-1), _lastChart = TimeSpan.FromDays(-1);
    bool _shown, _chartShown, _finished;

    /// <summary>Total steps planned (0 when unknown).</summary>
    public int TotalSteps { get; }

    /// <summary>The last step reported.</summary>
    public int Step { get; private set; }

    /// <summary>Every report so far (step and metrics), for plotting curves afterwards.</summary>
    public IReadOnlyList<(int Step, Dictionary<string, double> Metrics)> History => _history;

    /// <summary>Seconds between redraws of the text line.</summary>
    public double RefreshSeconds { get; set; } = 0.5;

    /// <summary>Seconds between redraws of the curves (notebooks only; rendering a PNG costs ~20-50 ms).</summary>
    public double ChartSeconds { get; set; } = 2.0;

    /// <summary>Show the metric curves under the line in a notebook (default true).</summary>
    public bool ShowChart { get; set; } = true;

    LiveProgress(string title, int totalSteps)
    {
        _title = title;
        TotalSteps = Math.Max(0, totalSteps);
        _context = KernelInvocationContext.Current;
    }

    /// <summary>Starts a progress display.</summary>
    public static LiveProgress Start(string title, int totalSteps) => new(title, totalSteps);

    /// <summary>Records <paramref name="step"/> with its metrics and redraws when due (this overload lets a caller write
    /// <c>p.Report(step, new() { ["loss"] = loss })</c>).</summary>
    public void Report(int step, Dictionary<string, double> metrics) => Report(step, (IReadOnlyDictionary<string, double>)metrics);

    /// <summary>Records <paramref name="step"/> with its metrics and redraws when due.</summary>
    public void Report(int step, IReadOnlyDictionary<string, double>? metrics = null)
    {
        Step = step;
        _history.Add((step, metrics == null ? [] : new Dictionary<string, double>(metrics)));
        var now = _watch.Elapsed;
        if (step >= TotalSteps && TotalSteps > 0 || (now - _lastDraw).TotalSeconds >= RefreshSeconds) Draw(now);
        if (_context != null && ShowChart && (now - _lastChart).TotalSeconds >= ChartSeconds && HasCurve) DrawChart(now);
    }

    /// <summary>The names of the metrics reported so far, in order of first appearance.</summary>
    public IReadOnlyList<string> MetricNames => _history.SelectMany(h => h.Metrics.Keys).Distinct().ToList();

    /// <summary>The history of one metric as a series (x = step).</summary>
    public Series Curve(string metric) => new(metric,
        _history.Where(h => h.Metrics.ContainsKey(metric)).Select(h => h.Metrics[metric]).ToList(),
        _history.Where(h => h.Metrics.ContainsKey(metric)).Select(h => (double)h.Step).ToList());

    /// <summary>The curves of every metric so far: one small line chart per metric (at most 4), side by side.</summary>
    public IPngRenderable Chart()
    {
        var names = MetricNames.Take(4).ToList();
        if (names.Count == 0) throw new InvalidOperationException("no metrics have been reported yet.");
        int width = names.Count == 1 ? 480 : Math.Max(280, 960 / names.Count);
        var charts = names.Select(n => (IPngRenderable)Display.Chart.Line([Curve(n)], title: n, xLabel: "step").WithSize(width, 260)).ToList();
        return charts.Count == 1 ? charts[0] : new Figure(charts, charts.Count);
    }

    bool HasCurve => _history.Count >= 2 && _history[^1].Metrics.Count > 0;

    void DrawChart(TimeSpan now)
    {
        _lastChart = now;
        if (_context == null) return;
        var png = Convert.ToBase64String(Chart().ToPng());
        FormattedValue[] values = [new FormattedValue("image/png", png)];
        if (!_chartShown) _context.Publish(new DisplayedValueProduced(png, _context.Command, values, _chartValueId));
        else _context.Publish(new DisplayedValueUpdated(png, _chartValueId, _context.Command, values));
        _chartShown = true;
        _lastChart = _watch.Elapsed; // the next redraw waits ChartSeconds after this one finished
    }

    /// <summary>Elapsed wall time.</summary>
    public TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>The current line of text: title, bar, step, metrics, elapsed and remaining time.</summary>
    public string Line()
    {
        var metrics = _history.Count == 0 ? "" : string.Join("  ", _history[^1].Metrics.Select(m => $"{m.Key} {Format(m.Value)}"));
        string bar = "", remaining = "";
        if (TotalSteps > 0)
        {
            double frac = Math.Clamp(Step / (double)TotalSteps, 0, 1);
            int filled = (int)Math.Round(frac * 20);
            bar = $" [{new string('#', filled)}{new string('.', 20 - filled)}] {Step}/{TotalSteps}";
            if (Step > 0 && Step < TotalSteps)
                remaining = $", ~{Clock(TimeSpan.FromSeconds(Elapsed.TotalSeconds / Step * (TotalSteps - Step)))} left";
        }
        else bar = $" step {Step}";
        return $"{_title}{bar}  {metrics}  ({Clock(Elapsed)}{remaining})".Replace("    ", "  ");
    }

    static string Format(double v) => Math.Abs(v) >= 100 || v == Math.Round(v) ? v.ToString("0.#", CultureInfo.InvariantCulture) : v.ToString("0.000", CultureInfo.InvariantCulture);

    static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");

    void Draw(TimeSpan now)
    {
        _lastDraw = now;
        var line = Line();
        if (_context != null)
        {
            FormattedValue[] values = [new FormattedValue("text/plain", line)];
            if (!_shown) _context.Publish(new DisplayedValueProduced(line, _context.Command, values, _valueId));
            else _context.Publish(new DisplayedValueUpdated(line, _valueId, _context.Command, values));
            _shown = true;
        }
        else if (_tty) Console.Error.Write("\r\x1b[2K" + line);
        else Console.Error.WriteLine(line);
    }

    /// <summary>Draws the final state (and ends the terminal line).</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        Draw(_watch.Elapsed);
        if (_context != null && ShowChart && HasCurve) DrawChart(_watch.Elapsed);
        if (_context == null && _tty) Console.Error.WriteLine();
    }
}
