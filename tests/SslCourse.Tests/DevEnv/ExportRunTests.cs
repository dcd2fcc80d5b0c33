using FluentAssertions;
using SslCourse.Notebooks;
using SslCourse.Tests.Engine;
using Xunit;

namespace SslCourse.Tests.DevEnv;

/// <summary>An exported notebook built and run with <c>dotnet run --file</c> (the first build takes 20-60 s).</summary>
public class ExportRunTests
{
    [Fact]
    public void An_exported_notebook_runs_with_dotnet_run_prints_text_and_saves_images()
    {
        // a fixed folder per checkout: the SDK caches the build per file path, so a rerun of this test is quick
        var checkout = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Repo.Root)))[..12];
        var dir = Path.Combine(Path.GetTempPath(), "ssl-course-tests", $"export-run-{checkout}");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var nb = NotebookDocument.Load(TestNotebooks.Write(dir, "demo.ipynb",
            SelfCheckTests.SetupCell(),
            "using SslCourse;\nusing SslCourse.Display;\nusing static TorchSharp.torch;",
            "var n = 3;\nConsole.WriteLine($\"budget {Course.Budget}, n = {n}\");",
            "var n = \"three\";\nrecord Pair(string Name, int Length);\nnew Pair(n, n.Length)",
            "new ImageGrid(rand(new long[] { 4, 3, 8, 8 }, generator: Course.Generator(1)), columns: 2)",
            "display(new ImageGrid(zeros(1, 4, 4)));\nConsole.WriteLine(\"done\");"));
        var app = Path.Combine(dir, "app", "demo.cs");
        ExportFileApp.Write(nb, app);

        var r = Shell.Run(Path.Combine(dir, "app"), TimeSpan.FromMinutes(5),
            new Dictionary<string, string?> { ["SSL_COURSE_BUDGET"] = "smoke", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            "dotnet", "run", "--file", app);

        r.ExitCode.Should().Be(0, r.All);
        var lines = r.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        lines.Should().ContainInOrder(
            lines.First(l => l.StartsWith("SslCourse ", StringComparison.Ordinal)),
            "budget Smoke, n = 3",
            "Pair { Name = three, Length = 5 }",
            "[image saved: demo-cell6.png]",
            "[image saved: demo-cell7.png]",
            "done");
        var png = File.ReadAllBytes(Path.Combine(dir, "app", "demo-cell6.png"));
        png.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        png.Length.Should().BeGreaterThan(200);
        File.Exists(Path.Combine(dir, "app", "demo-cell7.png")).Should().BeTrue();
    }
}
