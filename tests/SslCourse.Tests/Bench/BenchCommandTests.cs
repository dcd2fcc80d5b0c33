using System.Text.Json;
using FluentAssertions;
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
        foreach (var section in new[] { "data", "speed", "peer", "quality", "notebooks" }) list.Stdout.Should().Contain(section);
    }
}
