using System.Diagnostics;
using FluentAssertions;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary>Inputs <c>ssl-course grade</c> refuses before running anything: links, special files, a second copy of a
/// notebook from one student, malformed notebook JSON; and grading without bubblewrap.</summary>
public class SubmissionInputTests
{
    [Fact]
    public void Links_special_files_and_second_copies_are_refused_with_exit_2_naming_them()
    {
        SandboxTool.Require();
        var course = DemoCourse.Create("inputs");
        var source = Path.Combine(course, "notebooks", "demo.ipynb");
        var subs = Path.Combine(course, "submissions");
        Directory.CreateDirectory(subs);
        File.CreateSymbolicLink(Path.Combine(subs, "mallory.ipynb"), source);          // the instructor's own notebook
        Directory.CreateSymbolicLink(Path.Combine(subs, "trudy"), Path.Combine(course, "notebooks"));
        using (var p = Process.Start("mkfifo", [Path.Combine(subs, "pipe.ipynb")])) p.WaitForExit();
        DemoCourse.Save(DemoCourse.Source(), Path.Combine(subs, "alice", "demo.ipynb"));
        DemoCourse.Save(DemoCourse.Source(), Path.Combine(subs, "alice", "demo (1).ipynb"));
        File.WriteAllText(Path.Combine(subs, "types.ipynb"), "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"markdown\", \"source\": \"ok\"}, {\"cell_type\": 5, \"source\": \"x\"}]}");
        var outDir = Path.Combine(course, "grades");

        var r = CliProcess.Run(course, TimeSpan.FromMinutes(2), "grade", subs, "--source", Path.Combine(course, "notebooks"), "--out", outDir);

        r.ExitCode.Should().Be(2, r.All);
        r.Stderr.Should().Contain("mallory.ipynb: is a symbolic link").And.Contain("trudy: is a symbolic link")
            .And.Contain("pipe.ipynb: is a FIFO").And.Contain("types.ipynb: cell 2: \"cell_type\" is a number");
        r.Stderr.Should().Contain($"{Path.Combine(subs, "alice", "demo (1).ipynb")} and {Path.Combine(subs, "alice", "demo.ipynb")}: 2 submissions of student 'alice' for notebook demo");
        r.Stdout.Should().NotContain("points", "nothing was graded: every input was refused");
        var csv = File.ReadAllText(Path.Combine(outDir, "grades.csv"));
        csv.Should().NotContain("mallory").And.NotContain("trudy").And.Contain("alice,0,0", "both copies are rejected: none is graded");
        File.ReadAllText(Path.Combine(outDir, "alice__demo.json")).Should().Contain("\"status\": \"rejected\"").And.Contain("2 submissions of student");
    }

    [Theory]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": 5}]}", "cell 1: \"source\" is a number")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": [\"a\", 7]}]}", "cell 1: \"source\" line 2 is a number")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": [\"code\"], \"source\": \"\"}]}", "cell 1: \"cell_type\" is a list")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"metadata\": {\"tags\": \"exercise\"}}]}", "cell 1: metadata \"tags\" is a string")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"metadata\": {\"ssl_course\": 3}}]}", "cell 1: metadata \"ssl_course\" is a number")]
    [InlineData("{\"nbformat\": 4, \"metadata\": {\"polyglot_notebook\": \"x\"}, \"cells\": []}", "notebook metadata")]
    public void Malformed_notebook_json_types_exit_2_naming_the_file_and_cell(string content, string message)
    {
        var course = DemoCourse.Create("types");
        var path = Path.Combine(course, "bad.ipynb");
        File.WriteAllText(path, content);
        var r = CliProcess.Run(course, TimeSpan.FromMinutes(1), "grade", path, "--source", Path.Combine(course, "notebooks"), "--out", Path.Combine(course, "out"), "--no-sandbox");
        r.ExitCode.Should().Be(2, r.All);
        r.Stderr.Should().Contain("bad.ipynb").And.Contain(message);
    }

    [Fact]
    public void Without_bubblewrap_grade_refuses_and_says_how_to_install_it_unless_no_sandbox_is_given()
    {
        var course = DemoCourse.Create("nobwrap");
        var path = Path.Combine(course, "broken.ipynb");
        File.WriteAllText(path, "{\"cells\": [");
        var noBwrap = new Dictionary<string, string> { ["PATH"] = "/nonexistent" };
        var r = CliProcess.Run(course, TimeSpan.FromMinutes(1), noBwrap, "grade", path, "--source", Path.Combine(course, "notebooks"), "--out", Path.Combine(course, "out"));
        r.ExitCode.Should().Be(2, r.All);
        r.Stderr.Should().Contain("cannot make a sandbox").And.Contain("apt-get install bubblewrap").And.Contain("--no-sandbox");
        File.Exists(Path.Combine(course, "out", "broken.json")).Should().BeFalse("nothing is graded without a sandbox");

        var unsandboxed = CliProcess.Run(course, TimeSpan.FromMinutes(1), noBwrap, "grade", path, "--source", Path.Combine(course, "notebooks"), "--out", Path.Combine(course, "out"), "--no-sandbox");
        unsandboxed.Stderr.Should().NotContain("cannot make a sandbox").And.Contain("broken.ipynb: invalid JSON");
        unsandboxed.Stdout.Should().Contain("NO SANDBOX");
    }
}
