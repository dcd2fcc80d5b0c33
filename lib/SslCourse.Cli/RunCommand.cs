using System.CommandLine;
using System.Diagnostics;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course run</c>: executes notebooks with the engine and writes the executed copies.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var notebooks = Options.Paths("notebooks", "Notebooks (.ipynb) or folders of notebooks to run.");
        var budget = Options.Budget("full", "smoke (seconds per notebook) or full; sets SSL_COURSE_BUDGET for the notebooks.");
        var outDir = Options.Text("out", "Folder for the executed copies [default: executed/<budget>].", "DIR");
        var cellTimeout = Options.Seconds("cell-timeout", "Time limit of one cell in seconds [default: 300 at smoke, 900 at full].");
        var timeout = Options.Seconds("timeout", "Time limit of one notebook in seconds [default: 900 at smoke, 3600 at full].");
        var keepGoing = Options.Flag("keep-going", "Run the remaining cells of a notebook after a cell fails.");
        return Options.Verb("run", "Execute notebooks and write the executed copies (with outputs and pictures).", parse =>
        {
            var b = parse.GetValue(budget)!;
            return RunAsync(parse.GetValue(notebooks) ?? [], b, parse.GetValue(outDir), new RunOptions
            {
                CellTimeout = TimeSpan.FromSeconds(parse.GetValue(cellTimeout) ?? (b == "smoke" ? 300 : 900)),
                NotebookTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout) ?? (b == "smoke" ? 900 : 3600)),
                StopOnError = !parse.GetValue(keepGoing),
                Environment = new Dictionary<string, string> { ["SSL_COURSE_BUDGET"] = b },
            });
        }, notebooks, budget, outDir, cellTimeout, timeout, keepGoing);
    }

    static async Task<int> RunAsync(string[] paths, string budget, string? outFolder, RunOptions options)
    {
        if (paths.Length == 0) throw new UsageException("no notebook given; expected one or more .ipynb files or folders.");
        var outDir = Path.GetFullPath(outFolder ?? Path.Combine("executed", budget));
        var notebooks = NotebookFiles.Expand(paths);
        // Validate every input before running anything: a bad path fails fast with exit code 2.
        var loaded = notebooks.Select(NotebookDocument.Load).ToList();

        Console.WriteLine($"ssl-course run: {loaded.Count} notebook(s), budget {budget}, executed copies in {outDir}");
        var results = new List<NotebookResult>();
        for (int i = 0; i < loaded.Count; i++)
        {
            var nb = loaded[i];
            var display = new TerminalProgress($"[{i + 1}/{loaded.Count}] {Path.GetFileName(nb.Path)}");
            NotebookResult result;
            try
            {
                result = await NotebookRunner.RunAsync(nb, options with { Progress = display });
            }
            finally { display.Dispose(); }
            var target = Path.Combine(outDir, Path.GetFileName(nb.Path));
            result.Executed.Save(target);
            results.Add(result);
            Console.WriteLine($"{display.Prefix}: {(result.Passed ? "passed" : "FAILED")} in {result.Elapsed.TotalSeconds:0.0} s -> {target}");
        }

        var claims = results.SelectMany(NotebookClaims.From).ToList();
        PrintSummary(results, claims);
        var claimsFile = Path.Combine(outDir, "claims.json");
        NotebookClaims.Save(claims, claimsFile);
        Console.WriteLine($"{claims.Count(c => c.Holds)} of {claims.Count} claim(s) held -> {claimsFile}");
        foreach (var c in claims.Where(c => !c.Holds)) Console.WriteLine($"  did not hold: {c.Notebook} cell {c.Cell}: {c.Statement}");
        int code = results.All(r => r.Passed) ? Cli.Ok : Cli.Failed;
        if (results.Any(r => r.AbandonedWork))
        {
            // A cell that ignored cancellation may still be running on a thread: end the process now.
            Console.Out.Flush();
            Environment.Exit(code);
        }
        return code;
    }

    static void PrintSummary(IReadOnlyList<NotebookResult> results, IReadOnlyList<NotebookClaim> claims)
    {
        Console.WriteLine();
        var rows = results.Select(r =>
        {
            var f = r.FirstFailure;
            var where = f == null ? (r.Error ?? "") : $"cell {f.Number} `{Cut(f.FirstLine, 40)}`: {Cut(f.Error ?? "", 160)}";
            var own = claims.Where(c => c.Notebook == Path.GetFileName(r.Path)).ToList();
            var held = own.Count == 0 ? "-" : $"{own.Count(c => c.Holds)} held, {own.Count(c => !c.Holds)} not";
            return new[] { Path.GetFileName(r.Path), r.Passed ? "passed" : (f?.Status == CellStatus.TimedOut ? "timed out" : "FAILED"), $"{r.Elapsed.TotalSeconds:0.0} s", held, where };
        }).ToList();
        var header = new[] { "notebook", "status", "time", "claims", "failing cell" };
        var widths = Enumerable.Range(0, 4).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        string Line(string[] r) => $"{r[0].PadRight(widths[0])}  {r[1].PadRight(widths[1])}  {r[2].PadLeft(widths[2])}  {r[3].PadRight(widths[3])}  {r[4]}".TrimEnd();
        Console.WriteLine(Line(header));
        foreach (var r in rows) Console.WriteLine(Line(r));
        Console.WriteLine($"{results.Count(r => r.Passed)} of {results.Count} notebook(s) passed.");
    }

    internal static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}

/// <summary>Shows the running notebook, cell and elapsed time: one line updated in place on a terminal,
/// a line per finished cell otherwise (CI logs).</summary>
sealed class TerminalProgress : IProgress<CellProgress>, IDisposable
{
    readonly bool _tty = !Console.IsOutputRedirected;
    readonly Stopwatch _cellWatch = new();
    readonly Timer? _timer;
    CellProgress? _current;
    readonly object _gate = new();

    public string Prefix { get; }

    public TerminalProgress(string prefix)
    {
        Prefix = prefix;
        if (_tty) _timer = new Timer(_ => Redraw(), null, 500, 500);
    }

    public void Report(CellProgress value)
    {
        lock (_gate)
        {
            if (value.Result == null)
            {
                _current = value;
                _cellWatch.Restart();
                if (_tty) Redraw();
                return;
            }
            _current = null;
            var r = value.Result;
            if (_tty) Console.Write("\r\x1b[2K");
            if (!_tty || r.Status != CellStatus.Passed)
                Console.WriteLine($"{Prefix} cell {value.CellNumber} ({value.CodeCellOrdinal}/{value.CodeCellCount}) {r.Status.ToString().ToLowerInvariant()} {r.Elapsed.TotalSeconds:0.0} s{(r.Error != null ? ": " + RunCommand.Cut(r.Error, 200) : "")}");
        }
    }

    void Redraw()
    {
        lock (_gate)
        {
            if (_current == null) return;
            var line = $"{Prefix} cell {_current.CellNumber} ({_current.CodeCellOrdinal}/{_current.CodeCellCount}) {_cellWatch.Elapsed.TotalSeconds,5:0.0} s  {_current.FirstLine}";
            int width = Math.Max(40, SafeWidth() - 1);
            Console.Write("\r\x1b[2K" + RunCommand.Cut(line, width));
        }
    }

    static int SafeWidth()
    {
        try { return Console.WindowWidth; } catch { return 100; }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate) if (_tty && _current != null) Console.Write("\r\x1b[2K");
    }
}
