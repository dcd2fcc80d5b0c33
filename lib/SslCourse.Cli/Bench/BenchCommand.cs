using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SslCourse.Cli.Bench;

/// <summary>What a benchmark section gets: options, the report to add to, and where the repository is.</summary>
public sealed record BenchContext(BenchReport Report, bool Quick, string RepoRoot, string OutDir);

/// <summary>One part of <c>ssl-course bench</c>.</summary>
/// <param name="Name">Name used by --only.</param>
/// <param name="Summary">One line for --help.</param>
/// <param name="Run">Measures and adds figures to the report.</param>
public sealed record BenchSection(string Name, string Summary, Func<BenchContext, Task> Run);

/// <summary>
/// <c>ssl-course bench</c>: measures the course on this machine and writes results/RESULTS.md, results/results.json and
/// the charts they refer to. Sections run in order; <c>--only a,b</c> picks some, <c>--quick</c> shortens each.
/// </summary>
public static class BenchCommand
{
    /// <summary>The sections, in the order they run.</summary>
    public static readonly List<BenchSection> Sections =
    [
        new("data", "procedural set generation img/s, SimCLR augmentation vs one training step, supervised vs raw-pixel accuracy", DataSection.RunAsync),
        new("speed", "img/s of the default SimCLR training step and its data share, the allocator's gain, bf16 and channels-last", SpeedSection.RunAsync),
        new("methods", "one training step of every method on both datasets, and its steps in the matched budget", MethodsSection.RunAsync),
        new("peer", "the same SimCLR step in PyTorch (Debian's python3-torch) alternated with ours, and the ratio", PeerSection.RunAsync),
        new("quality", "every method of the course (shipped checkpoint or a short run here), random init and supervised from scratch: probe with 1/10/100/all labels per class and kNN; pseudo-labels, FixMatch and Mean Teacher with 10 labels per class; both datasets; the literature beside", QualitySection.RunAsync),
        new("notebooks", "wall time and peak memory of every notebook at smoke (and full unless --quick)", NotebookTimings.RunAsync),
    ];

    public static Command Create()
    {
        var only = new Option<string[]>("--only")
        {
            Description = "Sections to run, comma-separated (see --list) [default: all].",
            HelpName = "SECTION,...",
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        only.Validators.Add(r =>
        {
            var unknown = r.GetValueOrDefault<string[]>()?.Where(o => Sections.All(s => s.Name != o)).ToList() ?? [];
            if (unknown.Count > 0) r.AddError($"--only: unknown section(s) {string.Join(", ", unknown)}; expected some of: {string.Join(", ", Sections.Select(s => s.Name))}.");
        });
        only.CompletionSources.Add(Sections.Select(s => s.Name).ToArray());
        var quick = Options.Flag("quick", "Shorter runs of every section.");
        var outDir = Options.Text("out", "Folder for RESULTS.md, results.json and the charts [default: results/ of the repository].", "DIR");
        var list = Options.Flag("list", "List the sections and exit.");
        return Options.Verb("bench", "Measure the course on this machine and write results/RESULTS.md, results.json and charts.", parse =>
        {
            if (parse.GetValue(list))
            {
                foreach (var s in Sections) Console.WriteLine($"{s.Name,-12} {s.Summary}");
                return Task.FromResult(Cli.Ok);
            }
            return RunAsync(parse.GetValue(only), parse.GetValue(quick), parse.GetValue(outDir), Cli.CommandLine(parse));
        }, only, quick, outDir, list);
    }

    static async Task<int> RunAsync(string[]? only, bool quick, string? outFolder, string command)
    {
        var root = FindRepoRoot();
        var outDir = Path.GetFullPath(outFolder ?? Path.Combine(root, "results"));
        var chosen = Chosen(only);
        var report = new BenchReport();
        var ctx = new BenchContext(report, quick, root, outDir);
        var total = Stopwatch.StartNew();
        foreach (var (section, i) in chosen.Select((s, i) => (s, i)))
        {
            Console.WriteLine($"[{i + 1}/{chosen.Count}] {section.Name}: {section.Summary} ({total.Elapsed:mm\\:ss} so far)");
            var watch = Stopwatch.StartNew();
            try { await section.Run(ctx); }
            catch (Exception e)
            {
                report.Add(new BenchFigure(section.Name, "section failed", null, "", $"{e.GetType().Name}: {e.Message.Split('\n')[0]}"));
            }
            Console.WriteLine($"    {section.Name} took {watch.Elapsed.TotalSeconds:0} s");
        }
        report.Write(outDir, Environment(), command);
        Console.WriteLine($"wrote {Path.Combine(outDir, "RESULTS.md")} in {total.Elapsed.TotalMinutes:0.0} min");
        return report.Figures.Any(f => f.Name == "section failed") ? Cli.Failed : Cli.Ok;
    }

    /// <summary>The sections to run, in order: those named by --only, or every section when it names none (the parser
    /// gives an empty list, not null, when the option is absent).</summary>
    public static List<BenchSection> Chosen(string[]? only) =>
        Sections.Where(s => only is not { Length: > 0 } || only.Contains(s.Name)).ToList();

    static string Environment() =>
        $"{RuntimeInformation.OSDescription.Trim()}, {System.Environment.ProcessorCount} cores ({RuntimeInformation.ProcessArchitecture}), .NET {System.Environment.Version}";

    /// <summary>The repository root: the first folder above the working directory holding SslCourse.sln.</summary>
    public static string FindRepoRoot()
    {
        for (var dir = Directory.GetCurrentDirectory(); dir != null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "SslCourse.sln"))) return dir;
        throw new UsageException("run ssl-course bench inside the course repository (no SslCourse.sln found above the working directory).");
    }
}

/// <summary>Times every notebook in a child <c>ssl-course run</c> (so each gets a fresh process and its own peak memory).</summary>
public static class NotebookTimings
{
    public static Task RunAsync(BenchContext ctx)
    {
        var notebooks = Directory.GetFiles(Path.Combine(ctx.RepoRoot, "notebooks"), "*.ipynb").OrderBy(f => f, StringComparer.Ordinal).ToList();
        var budgets = ctx.Quick ? new[] { "smoke" } : ["smoke", "full"];
        var rows = new List<IReadOnlyList<string>>();
        var claimRows = new List<IReadOnlyList<string>>();
        var cli = typeof(BenchCommand).Assembly.Location;
        foreach (var nb in notebooks)
        {
            var row = new List<string> { Path.GetFileName(nb) };
            foreach (var budget in budgets)
            {
                var outDir = Path.Combine(Path.GetTempPath(), "ssl-course-bench", budget, Path.GetFileNameWithoutExtension(nb));
                var claimsFile = Path.Combine(outDir, "claims.json");
                if (File.Exists(claimsFile)) File.Delete(claimsFile);
                var outcome = ChildProcess.Run("dotnet", [cli, "run", nb, "--budget", budget, "--out", outDir],
                    ctx.RepoRoot, timeout: TimeSpan.FromMinutes(budget == "smoke" ? 5 : 15));
                var status = outcome.ExitCode == 0 ? "passed" : $"FAILED (exit {outcome.ExitCode})";
                var claims = ReadClaims(claimsFile);
                if (budget == budgets[^1]) claimRows.AddRange(claims.Select(c => (IReadOnlyList<string>)[Path.GetFileName(nb), c.Cell.ToString(), c.Statement, c.Holds ? "holds" : "DOES NOT HOLD"]));
                ctx.Report.Add(new BenchFigure("notebooks", $"{Path.GetFileName(nb)} at {budget}", outcome.Elapsed.TotalSeconds, "s",
                    $"{status}; peak RSS {(outcome.PeakRssBytes is long b ? $"{b / 1048576.0:0} MB" : "unknown")}"));
                row.Add($"{outcome.Elapsed.TotalSeconds:0.0} s ({status})");
                row.Add(outcome.PeakRssBytes is long p ? $"{p / 1048576.0:0} MB" : "unknown");
                row.Add(claims.Count == 0 ? "-" : $"{claims.Count(c => c.Holds)} of {claims.Count}");
            }
            rows.Add(row);
        }
        var header = new List<string> { "notebook" };
        foreach (var b in budgets) { header.Add($"{b} wall time"); header.Add($"{b} peak RSS"); header.Add($"{b} claims held"); }
        var full = ctx.Report.Figures.Where(f => f.Section == "notebooks" && f.Name.EndsWith($"at {budgets[^1]}", StringComparison.Ordinal)).ToList();
        if (full.Count > 0)
            ctx.Report.Add("notebooks", $"notebooks-{budgets[^1]}.png", $"wall time of every notebook at {budgets[^1]}", SslCourse.Display.Chart.Bars(
                full.Select(f => f.Name.Split('-')[0]).ToArray(), [new SslCourse.Display.Series("seconds", full.Select(f => f.Value ?? double.NaN).ToArray())],
                title: $"Notebook wall time at {budgets[^1]} (own process, start included)", yLabel: "s", valueFormat: "0").WithSize(1000, 380), ctx.OutDir);
        ctx.Report.Add(new BenchTable("notebooks", "Notebook wall time and peak memory", header, rows,
            "Each notebook runs in its own `ssl-course run` process (kernel start and library load included); peak RSS is that process's VmHWM. " +
            "Claims held: the verdicts the notebook printed (a claim, its measurements and the rule that judged it), as in `ssl-course run`'s claims.json."));
        ctx.Report.Add(new BenchTable("notebooks", $"Every claim the notebooks checked at {budgets[^1]}", ["notebook", "cell", "claim", "verdict"], claimRows,
            "Each row is a conclusion a notebook draws from its own run, judged by a stated rule (margin against spread); the executed notebook shows the measurements."));
        return Task.CompletedTask;
    }

    static IReadOnlyList<(int Cell, string Statement, bool Holds)> ReadClaims(string path)
    {
        if (!File.Exists(path)) return [];
        var array = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) as System.Text.Json.Nodes.JsonArray ?? [];
        return array.OfType<System.Text.Json.Nodes.JsonObject>()
            .Select(c => (c["cell"]!.GetValue<int>(), c["statement"]!.GetValue<string>(), c["holds"]!.GetValue<bool>())).ToList();
    }
}
