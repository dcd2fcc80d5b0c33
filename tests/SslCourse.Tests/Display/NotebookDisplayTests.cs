using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Notebooks;
using SslCourse.Tests.Engine;
using Xunit;

namespace SslCourse.Tests.Display;

/// <summary>Runs small notebooks in the engine to check what the display types put into the saved notebook.</summary>
public class NotebookDisplayTests
{
    readonly string _dir = Repo.TempDir("display");

    static string Setup() => TestNotebooks.LibrarySetup();

    static JsonArray Outputs(NotebookResult result, int codeCell) => result.Executed.Cells.Where(c => c.IsCode).ElementAt(codeCell).Outputs;

    static JsonObject Data(JsonNode? output) => (JsonObject)output!["data"]!;

    /// <summary>Keeps the executed notebook when <c>SSL_COURSE_DISPLAY_OUT</c> names a folder (to open it in front ends).</summary>
    static void Keep(NotebookResult result, string name)
    {
        if (Environment.GetEnvironmentVariable("SSL_COURSE_DISPLAY_OUT") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            result.Executed.Save(Path.Combine(dir, name));
        }
    }

    [Fact]
    public async Task Display_types_put_the_expected_mime_types_into_one_output_each()
    {
        var path = TestNotebooks.Write(_dir, "display.ipynb",
            Setup(),
            "using SslCourse.Display;\nusing static TorchSharp.torch;\nInteractiveChart.Scatter3D(randn(20, 3), arange(20) % 2, new[] { \"a\", \"b\" })",
            "Table.From(new[] { \"method\", \"acc\" }, new[] { new object?[] { \"<b>SimCLR</b>\", 0.5 } })",
            "Chart.Line([new(\"loss\", new double[] { 3, 2, 1.5 })], title: \"loss\")",
            "new Audio(new float[] { 0f, 0.5f, -0.5f, 0f }, 8000)");

        var result = await NotebookRunner.RunAsync(path);

        Keep(result, "display.ipynb");
        result.Passed.Should().BeTrue(result.FirstFailure?.Error);
        var interactive = Data(Outputs(result, 1).Single());
        interactive.Select(kv => kv.Key).Should().BeEquivalentTo("text/html", "image/png");
        interactive["text/html"]!.GetValue<string>().Should().Contain("Plotly.newPlot").And.Contain(interactive["image/png"]!.GetValue<string>());
        PngAssert.Valid(Convert.FromBase64String(interactive["image/png"]!.GetValue<string>()));

        var table = Data(Outputs(result, 2).Single());
        table.Select(kv => kv.Key).Should().BeEquivalentTo("text/html", "text/plain");
        table["text/html"]!.GetValue<string>().Should().StartWith("<table").And.Contain("&lt;b&gt;SimCLR&lt;/b&gt;");
        table["text/plain"]!.GetValue<string>().Should().Contain("<b>SimCLR</b>  0.5");

        var chart = Data(Outputs(result, 3).Single());
        chart.Select(kv => kv.Key).Should().Equal("image/png");
        PngAssert.Valid(Convert.FromBase64String(chart["image/png"]!.GetValue<string>()), 600, 400);

        var audio = Data(Outputs(result, 4).Single());
        audio.Select(kv => kv.Key).Should().BeEquivalentTo("text/html", "text/plain");
        audio["text/html"]!.GetValue<string>().Should().Contain("<audio controls");
    }

    [Fact]
    public async Task Live_progress_keeps_one_line_and_one_curve_updated_in_place()
    {
        var path = TestNotebooks.Write(_dir, "progress.ipynb",
            Setup(),
            "using SslCourse.Display;\n" +
            "using (var p = LiveProgress.Start(\"train\", 60)) {\n" +
            "  for (int s = 1; s <= 60; s++) { p.Report(s, new() { [\"loss\"] = 2.0 / s, [\"acc\"] = 1 - 1.0 / s }); System.Threading.Thread.Sleep(s == 30 ? 2100 : 1); }\n" +
            "}\n" +
            "Console.WriteLine(\"done\");");

        var result = await NotebookRunner.RunAsync(path);

        Keep(result, "progress.ipynb");
        result.Passed.Should().BeTrue(result.FirstFailure?.Error);
        var outputs = Outputs(result, 1);
        outputs.Select(o => o!["output_type"]!.GetValue<string>()).Should().Equal("display_data", "display_data", "stream");
        var line = Data(outputs[0]);
        line.Select(kv => kv.Key).Should().Equal("text/plain");
        line["text/plain"]!.GetValue<string>().Should().StartWith("train [####################] 60/60").And.Contain("loss 0.033");
        var curve = Data(outputs[1]);
        curve.Select(kv => kv.Key).Should().Equal("image/png");
        PngAssert.Valid(Convert.FromBase64String(curve["image/png"]!.GetValue<string>()), name: "progress");
    }
}
