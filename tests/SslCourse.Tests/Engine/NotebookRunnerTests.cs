using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Engine;

public class NotebookRunnerTests
{
    readonly string _dir = Repo.TempDir("engine");

    [Fact]
    public async Task A_passing_notebook_gets_outputs_and_execution_counts()
    {
        var path = TestNotebooks.Write(_dir, "ok.ipynb",
            "var x = 6 * 7;\nConsole.WriteLine($\"x = {x}\");",
            "Console.Error.WriteLine(\"careful\");\nx + 1");

        var result = await NotebookRunner.RunAsync(path);

        result.Passed.Should().BeTrue();
        result.Cells.Should().HaveCount(2).And.OnlyContain(c => c.Status == CellStatus.Passed);
        result.Cells[0].Number.Should().Be(2, "the markdown title is cell 1");
        var code = result.Executed.Cells.Where(c => c.IsCode).ToList();
        code[0].Json["execution_count"]!.GetValue<int>().Should().Be(1);
        code[1].Json["execution_count"]!.GetValue<int>().Should().Be(2);
        code[0].Outputs.Single()!["text"]!.ToJsonString().Should().Contain("x = 42");
        code[1].Outputs.Select(o => o!["output_type"]!.GetValue<string>()).Should().Equal("stream", "execute_result");
        code[1].Outputs[0]!["name"]!.GetValue<string>().Should().Be("stderr");
        result.Cells[1].ReturnValues.Should().Equal(43);
    }

    [Fact]
    public async Task A_failing_cell_is_reported_with_its_number_and_message_and_later_cells_run_when_asked()
    {
        var path = TestNotebooks.Write(_dir, "fail.ipynb",
            "int a = 1;",
            "throw new InvalidOperationException(\"the answer is missing\");",
            "Console.WriteLine(\"still here\");");

        var stop = await NotebookRunner.RunAsync(path);
        stop.Passed.Should().BeFalse();
        stop.FirstFailure!.Number.Should().Be(3);
        stop.FirstFailure.Error.Should().Contain("the answer is missing");
        stop.Cells[2].Status.Should().Be(CellStatus.Skipped);

        var goOn = await NotebookRunner.RunAsync(path, new RunOptions { StopOnError = false });
        goOn.Cells.Select(c => c.Status).Should().Equal(CellStatus.Passed, CellStatus.Failed, CellStatus.Passed);
        goOn.Executed.Cells[2].Outputs.Single()!["output_type"]!.GetValue<string>().Should().Be("error");
        goOn.Executed.Cells[3].Outputs.Single()!["text"]!.ToJsonString().Should().Contain("still here");
    }

    [Fact]
    public async Task A_compile_error_is_a_failed_cell()
    {
        var path = TestNotebooks.Write(_dir, "compile.ipynb", "int x = \"not a number\";");
        var result = await NotebookRunner.RunAsync(path);
        result.FirstFailure!.Error.Should().Contain("CS0029");
    }

    [Fact]
    public async Task A_cell_past_its_limit_is_stopped_and_reported()
    {
        var path = TestNotebooks.Write(_dir, "slow.ipynb",
            "Console.WriteLine(\"before\");",
            "System.Threading.Thread.Sleep(30_000);",
            "Console.WriteLine(\"after\");");

        var result = await NotebookRunner.RunAsync(path, new RunOptions { CellTimeout = TimeSpan.FromSeconds(2) });

        result.Cells.Select(c => c.Status).Should().Equal(CellStatus.Passed, CellStatus.TimedOut, CellStatus.Skipped);
        result.FirstFailure!.Error.Should().Contain("time limit of 2 s");
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_notebook_limit_stops_a_run()
    {
        var path = TestNotebooks.Write(_dir, "long.ipynb", "System.Threading.Thread.Sleep(1500);", "System.Threading.Thread.Sleep(30_000);");
        var result = await NotebookRunner.RunAsync(path, new RunOptions { NotebookTimeout = TimeSpan.FromSeconds(3) });
        result.Passed.Should().BeFalse();
        result.Cells[1].Status.Should().Be(CellStatus.TimedOut);
        result.Cells[1].Error.Should().Contain("notebook time limit");
    }

    [Fact]
    public async Task Displayed_images_arrive_as_png_and_updates_replace_the_value()
    {
        var path = TestNotebooks.Write(_dir, "png.ipynb",
            """
            using Microsoft.DotNet.Interactive.Formatting;
            public record Dot(string Base64);
            Formatter.Register<Dot>((d, w) => w.Write(d.Base64), "image/png");
            Formatter.SetPreferredMimeTypesFor(typeof(Dot), "image/png");
            var onePixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
            """,
            """
            using Microsoft.DotNet.Interactive;
            using Microsoft.DotNet.Interactive.Events;
            var context = KernelInvocationContext.Current;
            FormattedValue[] Text(string s) => [new FormattedValue("text/plain", s)];
            context.Publish(new DisplayedValueProduced("first", context.Command, Text("first"), "progress-1"));
            context.Publish(new DisplayedValueUpdated("second", "progress-1", context.Command, Text("second")));
            display(new Dot(onePixel));
            """);

        var result = await NotebookRunner.RunAsync(path);

        result.Passed.Should().BeTrue(result.FirstFailure?.Error);
        var outputs = result.Executed.Cells[2].Outputs;
        outputs.Should().HaveCount(2, "the update replaces the first display");
        outputs[0]!["data"]!.ToJsonString().Should().Contain("second").And.NotContain("first");
        outputs[1]!["output_type"]!.GetValue<string>().Should().Be("display_data");
        outputs[1]!["data"]!["image/png"]!.GetValue<string>().Should().StartWith("iVBOR");
    }

    [Fact]
    public async Task The_executed_copy_is_valid_nbformat_and_keeps_metadata()
    {
        var path = TestNotebooks.Write(_dir, "meta.ipynb", "1 + 1");
        var result = await NotebookRunner.RunAsync(path);
        var copy = Path.Combine(_dir, "out", "meta.ipynb");
        result.Executed.Save(copy);

        var reread = NotebookDocument.Load(copy);
        reread.Metadata["kernelspec"]!["name"]!.GetValue<string>().Should().Be(".net-csharp");
        reread.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>().Should().Be("csharp");
        var cell = reread.Cells[1];
        cell.Id.Should().Be("code1");
        cell.Metadata["polyglot_notebook"]!["kernelName"]!.GetValue<string>().Should().Be("csharp");
        var output = cell.Outputs.Single()!.AsObject();
        output["output_type"]!.GetValue<string>().Should().Be("execute_result");
        output["execution_count"]!.GetValue<int>().Should().Be(1);
        output.ContainsKey("metadata").Should().BeTrue();
        NotebookDocument.Load(path).Cells[1].Outputs.Should().BeEmpty("the source notebook is not modified");
    }

    [Theory]
    [InlineData("{ not json", "invalid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"nbformat\": 4, \"metadata\": {}}", "no \"cells\" array")]
    [InlineData("{\"nbformat\": 3, \"cells\": []}", "nbformat 3 is not supported")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"source\": \"x\"}]}", "cell 1 has no \"cell_type\"")]
    public void Malformed_notebooks_are_rejected_with_a_clear_error(string json, string expected)
    {
        var path = Path.Combine(_dir, "bad.ipynb");
        File.WriteAllText(path, json);
        var act = () => NotebookDocument.Load(path);
        act.Should().Throw<NotebookFormatException>().WithMessage($"*bad.ipynb*{expected}*");
    }

    [Fact]
    public void A_missing_file_or_a_file_that_is_not_a_notebook_is_named()
    {
        var missing = () => NotebookDocument.Load(Path.Combine(_dir, "nope.ipynb"));
        missing.Should().Throw<NotebookFormatException>().WithMessage("*nope.ipynb: no such file*");
        var txt = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(txt, "{}");
        var wrong = () => NotebookDocument.Load(txt);
        wrong.Should().Throw<NotebookFormatException>().WithMessage("*notes.txt: not a notebook*");
    }
}
