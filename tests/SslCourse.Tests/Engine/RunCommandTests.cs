using FluentAssertions;
using Xunit;

namespace SslCourse.Tests.Engine;

/// <summary><c>ssl-course run</c> end to end, in a child process (as users run it).</summary>
public class RunCommandTests
{
    readonly string _dir = Repo.TempDir("run");

    [Fact]
    public void A_failing_notebook_exits_non_zero_and_names_the_cell()
    {
        TestNotebooks.Write(_dir, "a-good.ipynb", "Console.WriteLine(1);");
        TestNotebooks.Write(_dir, "b-bad.ipynb", "var ok = 1;", "throw new Exception(\"broken on purpose\");");

        var r = CliProcess.Run(_dir, TimeSpan.FromMinutes(3), "run", _dir, "--budget", "smoke", "--out", Path.Combine(_dir, "out"));

        r.ExitCode.Should().Be(1, r.All);
        r.Stdout.Should().Contain("b-bad.ipynb").And.Contain("cell 3").And.Contain("broken on purpose");
        r.Stdout.Should().MatchRegex(@"a-good\.ipynb\s+passed");
        File.Exists(Path.Combine(_dir, "out", "a-good.ipynb")).Should().BeTrue();
        File.Exists(Path.Combine(_dir, "out", "b-bad.ipynb")).Should().BeTrue("a failed run still writes its executed copy");
    }

    [Fact]
    public void A_cell_that_never_ends_is_stopped_by_the_cell_limit()
    {
        TestNotebooks.Write(_dir, "spin.ipynb", "while (true) { }");
        var r = CliProcess.Run(_dir, TimeSpan.FromMinutes(2), "run", "spin.ipynb", "--cell-timeout", "3", "--out", "out");
        r.ExitCode.Should().Be(1, r.All);
        r.Stdout.Should().Contain("timed out").And.Contain("time limit of 3 s");
    }

    [Theory]
    [InlineData("missing.ipynb", "missing.ipynb: no such file or folder")]
    [InlineData("notes.txt", "notes.txt: not a notebook")]
    [InlineData("broken.ipynb", "broken.ipynb: invalid JSON")]
    public void Unusable_input_exits_2_with_one_line_naming_it(string file, string message)
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "hello");
        File.WriteAllText(Path.Combine(_dir, "broken.ipynb"), "{\"cells\": [");
        var r = CliProcess.Run(_dir, TimeSpan.FromMinutes(1), "run", file);
        r.ExitCode.Should().Be(2, r.All);
        r.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(message);
    }

    [Fact]
    public void A_bad_budget_is_refused()
    {
        var r = CliProcess.Run(_dir, TimeSpan.FromMinutes(1), "run", ".", "--budget", "huge");
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("--budget 'huge'");
    }
}
