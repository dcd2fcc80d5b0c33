using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Cli.Bench;

/// <summary>One measured figure.</summary>
/// <param name="Section">The part of the benchmark (speed, quality, notebooks, peer...).</param>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The number, or null when it could not be measured (see <paramref name="Note"/>).</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Note">How it was measured, or why it was not.</param>
public sealed record BenchFigure(string Section, string Name, double? Value, string Unit, string Note = "");

/// <summary>A table of a section, rendered into RESULTS.md.</summary>
public sealed record BenchTable(string Section, string Title, IReadOnlyList<string> Header, List<IReadOnlyList<string>> Rows, string Caption = "");

/// <summary>Everything a benchmark run measured: figures, tables and charts, written to results/ at the end.</summary>
public sealed class BenchReport
{
    readonly object _gate = new();
    public List<BenchFigure> Figures { get; } = [];
    public List<BenchTable> Tables { get; } = [];
    public List<(string Section, string File, string Caption)> Charts { get; } = [];
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public void Add(BenchFigure figure)
    {
        lock (_gate) Figures.Add(figure);
        var value = figure.Value is double v ? $"{v.ToString("0.###", CultureInfo.InvariantCulture)} {figure.Unit}" : "not measured";
        Console.WriteLine($"  [{figure.Section}] {figure.Name}: {value}{(figure.Note.Length > 0 ? "  (" + figure.Note + ")" : "")}");
    }

    public void Add(BenchTable table)
    {
        lock (_gate) Tables.Add(table);
    }

    /// <summary>Writes a chart as <c>charts/&lt;file&gt;</c> under <paramref name="outDir"/> (to a temporary file, then
    /// moved into place) and lists it for RESULTS.md, below the section's tables.</summary>
    public void Add(string section, string file, string caption, Display.IPngRenderable chart, string outDir)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (file.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !file.EndsWith(".png", StringComparison.Ordinal))
            throw new ArgumentException($"chart file '{file}': expected a plain file name ending in .png.", nameof(file));
        var path = Path.Combine(outDir, "charts", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, chart.ToPng());
        lock (_gate) Charts.Add((section, $"charts/{file}", caption));
        Console.WriteLine($"  [{section}] chart {path}");
    }

    /// <summary>Writes RESULTS.md and results.json into <paramref name="dir"/> (atomically, file by file).</summary>
    public void Write(string dir, string environment, string command)
    {
        Directory.CreateDirectory(dir);
        var md = new StringBuilder();
        md.AppendLine("# SslCourse results");
        md.AppendLine();
        md.AppendLine($"Measured by `{command}` on {Started:yyyy-MM-dd HH:mm} UTC, {environment}.");
        md.AppendLine("Every figure below comes from that run; rerun the command to regenerate this file, `results.json` and the charts.");
        foreach (var section in Figures.Select(f => f.Section).Concat(Tables.Select(t => t.Section)).Distinct())
        {
            md.AppendLine();
            md.AppendLine($"## {section}");
            var figures = Figures.Where(f => f.Section == section).ToList();
            if (figures.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("| measurement | value | how |");
                md.AppendLine("| --- | ---: | --- |");
                foreach (var f in figures)
                    md.AppendLine($"| {f.Name} | {(f.Value is double v ? v.ToString("0.###", CultureInfo.InvariantCulture) + " " + f.Unit : "not measured")} | {f.Note} |");
            }
            foreach (var t in Tables.Where(t => t.Section == section))
            {
                md.AppendLine();
                md.AppendLine($"### {t.Title}");
                md.AppendLine();
                md.AppendLine("| " + string.Join(" | ", t.Header) + " |");
                md.AppendLine("|" + string.Concat(t.Header.Select(_ => " --- |")));
                foreach (var r in t.Rows) md.AppendLine("| " + string.Join(" | ", r) + " |");
                if (t.Caption.Length > 0) { md.AppendLine(); md.AppendLine(t.Caption); }
            }
            foreach (var c in Charts.Where(c => c.Section == section))
            {
                md.AppendLine();
                md.AppendLine($"![{c.Caption}]({c.File})");
            }
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "RESULTS.md"), md.ToString());

        var json = new JsonObject
        {
            ["started"] = Started.ToString("O"),
            ["environment"] = environment,
            ["command"] = command,
            ["figures"] = new JsonArray(Figures.Select(f => (JsonNode)new JsonObject
            {
                ["section"] = f.Section, ["name"] = f.Name, ["value"] = f.Value, ["unit"] = f.Unit, ["note"] = f.Note,
            }).ToArray()),
            ["tables"] = new JsonArray(Tables.Select(t => (JsonNode)new JsonObject
            {
                ["section"] = t.Section, ["title"] = t.Title,
                ["header"] = new JsonArray(t.Header.Select(h => (JsonNode)JsonValue.Create(h)!).ToArray()),
                ["rows"] = new JsonArray(t.Rows.Select(r => (JsonNode)new JsonArray(r.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray())).ToArray()),
            }).ToArray()),
            ["charts"] = new JsonArray(Charts.Select(c => (JsonNode)new JsonObject { ["section"] = c.Section, ["file"] = c.File, ["caption"] = c.Caption }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(dir, "results.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
