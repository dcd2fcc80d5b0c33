using System.Text.Json;
using FluentAssertions;
using SslCourse.Cli.Bench;
using SslCourse.Display;
using Xunit;

namespace SslCourse.Tests.Bench;

public class BenchCommandTests
{
    [Fact]
    public void Quick_data_section_writes_results_markdown_and_json_with_measured_figures()
    {
        var outDir = Repo.TempDir("bench-data");
        var r = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(4), "bench", "--only", "data", "--quick", "--out", outDir);
        r.ExitCode.Should().Be(0, r.All);
        var md = File.ReadAllText(Path.Combine(outDir, "RESULTS.md"));
        md.Should().Contain("ToyObjects Standard generation, 32x32").And.Contain("augmentation / training step").And.Contain("ssl-course bench --only data --quick");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var text = json.RootElement.GetRawText();
        text.Should().Contain("img/s");
        Directory.GetFiles(outDir, "*.tmp*", SearchOption.AllDirectories).Should().BeEmpty("results are written to a temporary file and moved into place");
    }

    [Fact]
    public void Unknown_sections_are_named_with_the_valid_ones_and_list_shows_every_section()
    {
        var bad = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "bench", "--only", "data,speeed");
        bad.ExitCode.Should().Be(2, bad.All);
        bad.All.Should().Contain("speeed").And.Contain("quality");
        var list = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "bench", "--list");
        list.ExitCode.Should().Be(0, list.All);
        foreach (var section in new[] { "data", "speed", "methods", "peer", "quality", "notebooks" }) list.Stdout.Should().Contain(section);
    }

    [Fact]
    public void Without_only_every_section_runs_and_with_it_the_named_ones_in_order()
    {
        BenchCommand.Chosen(null).Should().Equal(BenchCommand.Sections);
        BenchCommand.Chosen([]).Should().Equal(BenchCommand.Sections, "an absent --only parses as an empty list");
        BenchCommand.Chosen(["quality", "data"]).Select(s => s.Name).Should().Equal("data", "quality");
    }

    [Fact]
    public void A_step_measured_in_a_child_process_reports_its_allocator()
    {
        var tuned = BenchStepCommand.InChild(Repo.Root, new Dictionary<string, string>(), batch: 8, steps: 1, width: 0.5);
        var plain = BenchStepCommand.InChild(Repo.Root, new Dictionary<string, string> { ["SSL_COURSE_MALLOC"] = "system" }, batch: 8, steps: 1, width: 0.5);
        tuned.ImagesPerSecond.Should().BePositive();
        plain.ImagesPerSecond.Should().BePositive();
        tuned.Tuned.Should().Be(OperatingSystem.IsLinux());
        plain.Tuned.Should().BeFalse("SSL_COURSE_MALLOC=system keeps glibc's defaults");
        var bad = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "bench-step", "--steps", "0");
        bad.ExitCode.Should().Be(2, bad.All);
        bad.All.Should().Contain("--steps '0'");
    }

    [Fact]
    public void Charts_are_written_under_charts_and_referenced_from_the_results()
    {
        Course.Init(0);
        var outDir = Repo.TempDir("bench-charts");
        var report = new BenchReport();
        report.Add(new BenchFigure("speed", "a step", 12.5, "img/s"));
        report.Add("speed", "steps.png", "one step per method", Chart.Bars(["a", "b"], [new Series("img/s", [1.0, 2.0])]), outDir);
        report.Write(outDir, "test machine", "ssl-course bench --only speed");
        var png = File.ReadAllBytes(Path.Combine(outDir, "charts", "steps.png"));
        png.Take(4).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        File.ReadAllText(Path.Combine(outDir, "RESULTS.md")).Should().Contain("![one step per method](charts/steps.png)");
        File.ReadAllText(Path.Combine(outDir, "results.json")).Should().Contain("charts/steps.png");
        var bad = () => report.Add("speed", "../x.png", "escape", Chart.Bars(["a"], [new Series("v", [1.0])]), outDir);
        bad.Should().Throw<ArgumentException>().WithMessage("*'../x.png'*");
    }
}
