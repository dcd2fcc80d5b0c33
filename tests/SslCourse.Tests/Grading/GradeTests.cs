using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary>
/// <c>ssl-course grade</c> end to end, in child processes, on real submission files: the correct one, the released
/// one, and the adversarial ones, graded together in one folder run (one worker process each).
/// </summary>
public class GradeTests
{
    static JsonObject Solved => DemoCourse.Source();

    /// <summary>Writes the submissions folder: one file per case (student = file name).</summary>
    static Dictionary<string, JsonObject> Submissions(string released)
    {
        var s = new Dictionary<string, JsonObject>
        {
            ["correct"] = Solved,
            ["released"] = JsonNode.Parse(File.ReadAllText(released))!.AsObject(),
            ["throws"] = DemoCourse.WithSolution(Solved, "double", "throw new InvalidOperationException(\"oops\");"),
            ["edited-check"] = DemoCourse.WithCellSource(DemoCourse.WithSolution(Solved, "double", "return x * 3;"), "check-double",
                "// CHECK double (locked: do not edit)\nnew global::SslCourse.Exercises.CheckResult(\"double\", true, \"✓ double: the check passed\")"),
            ["redefined"] = DemoCourse.WithSolution(Solved, "double",
                "return x + 1;\n}\npublic static class Check { public static object Exercise(string id) => null; }\npublic static class SslCourse { }\npublic record CheckResult(string Exercise, bool Passed, string Message);\nTensor Unused(Tensor y)\n{\n    return y;"),
            ["prints"] = DemoCourse.WithSolution(Solved, "double",
                "Console.WriteLine(\"PASSED\");\nConsole.WriteLine(\"✓ double: the check passed\");\nvar raw = Console.OpenStandardOutput();\nraw.Write(System.Text.Encoding.ASCII.GetBytes(\"\\nSSLREC1 0 eyJraW5kIjoiZG9uZSJ9 \" + new string('0', 64) + \"\\nall checks PASSED: 6/6\\n\"));\nraw.Flush();\nreturn x;"),
            ["exits"] = DemoCourse.WithSolution(Solved, "double", "Environment.Exit(0);\nreturn x;"),
            ["loops"] = DemoCourse.WithSolution(Solved, "sumsq", "while (true) { }"),
            ["allocates"] = DemoCourse.WithSolution(Solved, "evens", "var keep = new List<global::TorchSharp.torch.Tensor>();\nwhile (true) keep.Add(global::TorchSharp.torch.ones(1 << 24));"),
            ["deletes"] = DemoCourse.WithSolution(Solved, "double",
                "foreach (var f in System.IO.Directory.GetFiles(\"..\", \"*\", System.IO.SearchOption.AllDirectories)) { try { System.IO.File.Delete(f); } catch { } }\nreturn x * 2;"),
            ["missing"] = DemoCourse.Without(Solved, "ex-evens"),
            ["nomarkers"] = DemoCourse.WithCellSource(Solved, "ex-sumsq", "// EXERCISE sumsq (3 points): sum of squares\ndouble SumOfSquares(double[] xs) => xs.Select(v => v * v).Sum();"),
        };
        return s;
    }

    [Fact]
    public void Every_adversarial_submission_is_graded_on_its_merits_in_one_folder_run()
    {
        SandboxTool.Require();
        var course = DemoCourse.Create("grade");
        var source = Path.Combine(course, "notebooks", "demo.ipynb");
        var sourceText = File.ReadAllText(source);
        var releasedDir = Path.Combine(course, "released");
        var rel = CliProcess.Run(course, TimeSpan.FromMinutes(1), "release", source, "--out", releasedDir);
        rel.ExitCode.Should().Be(0, rel.All);

        var subs = Path.Combine(course, "submissions");
        foreach (var (name, nb) in Submissions(Path.Combine(releasedDir, "demo.ipynb"))) DemoCourse.Save(nb, Path.Combine(subs, name + ".ipynb"));
        File.WriteAllText(Path.Combine(subs, "broken.ipynb"), "{\"cells\": [");
        var outDir = Path.Combine(course, "grades");
        var libDll = Path.Combine(Repo.Root, "lib", "SslCourse", "bin", "SslCourse.dll");

        var r = CliProcess.Run(course, TimeSpan.FromMinutes(25), "grade", subs, "--source", Path.Combine(course, "notebooks"), "--out", outDir,
            "--cell-timeout", "30", "--timeout", "400", "--memory", "1500"); // "loops" runs until the cell limit: keep it short


        r.ExitCode.Should().Be(2, "one input (broken.ipynb) was unusable: " + r.All);
        r.Stderr.Should().Contain("broken.ipynb: invalid JSON");
        JsonObject Result(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name + ".json")))!.AsObject();
        Dictionary<string, (int Points, bool Passed, string Message)> Ex(string name) =>
            Result(name)["exercises"]!.AsArray().ToDictionary(e => (string)e!["exercise"]!, e => ((int)e!["points"]!, (bool)e["passed"]!, (string)e["message"]!));
        int Score(string name) => (int)Result(name)["score"]!;
        string Why(string name) => File.ReadAllText(Path.Combine(outDir, name + ".md")) + "\n" + r.Stdout;

        Result("correct")["max"]!.GetValue<int>().Should().Be(DemoCourse.MaxPoints);
        Score("correct").Should().Be(6, Why("correct"));
        ((bool)Result("correct")["run"]!["completed"]!).Should().BeTrue();

        Score("released").Should().Be(0, Why("released"));
        ((bool)Result("released")["run"]!["completed"]!).Should().BeTrue("the released copy runs to its end");
        Result("released")["run"]!["failed_cells"]!.AsArray().Should().BeEmpty();
        Ex("released").Values.Should().OnlyContain(e => e.Message.Contains("not implemented yet"));

        Score("throws").Should().Be(4, Why("throws"));
        Ex("throws")["double"].Message.Should().Contain("your code threw InvalidOperationException: oops");

        Score("edited-check").Should().Be(4, Why("edited-check"));
        Ex("edited-check")["double"].Message.Should().Contain("values differ");
        Score("redefined").Should().Be(4, Why("redefined"));
        Ex("redefined")["double"].Message.Should().Contain("values differ");
        Score("prints").Should().Be(4, Why("prints"));

        Score("exits").Should().Be(4, Why("exits"));
        Ex("exits")["double"].Message.Should().Contain("System.Environment.Exit (ending the process)", "the solution analysis rejects it before its check");
        Score("loops").Should().Be(3, Why("loops"));
        Ex("loops")["sumsq"].Message.Should().Contain("time limit");
        Score("allocates").Should().Be(5, Why("allocates"));
        Ex("allocates")["evens"].Message.Should().Contain("memory");

        Score("deletes").Should().BeLessThanOrEqualTo(6, Why("deletes"));
        File.ReadAllText(source).Should().Be(sourceText, "the instructor's source is untouched");
        File.Exists(libDll).Should().BeTrue("the library is untouched");
        File.Exists(Path.Combine(Repo.Root, "SslCourse.sln")).Should().BeTrue();

        Score("missing").Should().Be(5, Why("missing"));
        Ex("missing")["evens"].Message.Should().Contain("no exercise cell");
        Score("nomarkers").Should().Be(6, Why("nomarkers"));
        Result("nomarkers")["notes"]!.AsArray().Should().ContainSingle().Which!.GetValue<string>().Should().Contain("BEGIN SOLUTION");

        Result("broken")["status"]!.GetValue<string>().Should().Be("rejected");
        var csv = File.ReadAllLines(Path.Combine(outDir, "grades.csv"));
        csv[0].Should().Be("student,demo/double,demo/sumsq,demo/evens,total,max");
        csv.Should().Contain("correct,2,3,1,6,6").And.Contain("released,0,0,0,0,6").And.Contain("loops,2,0,1,3,6").And.HaveCount(14);
        var junit = File.ReadAllText(Path.Combine(outDir, "throws.xml"));
        junit.Should().Contain("<testsuite name=\"throws.demo\" tests=\"3\" failures=\"1\"").And.Contain("InvalidOperationException: oops");
    }

    [Theory]
    [InlineData("broken.ipynb", "{\"cells\": [", "broken.ipynb: invalid JSON")]
    [InlineData("notes.txt", "hello", "notes.txt: not a notebook")]
    [InlineData("stranger.ipynb", "{\"nbformat\": 4, \"cells\": []}", "stranger.ipynb: no matching source notebook")]
    public void Unusable_input_exits_2_and_names_the_file(string file, string content, string message)
    {
        var course = DemoCourse.Create("bad");
        var path = Path.Combine(course, file);
        File.WriteAllText(path, content);
        var r = CliProcess.Run(course, TimeSpan.FromMinutes(1), "grade", path, "--source", Path.Combine(course, "notebooks"), "--out", Path.Combine(course, "out"));
        r.ExitCode.Should().Be(2, r.All);
        r.Stderr.Should().Contain(message);
    }

    [Fact]
    public void A_released_notebook_runs_to_the_end_with_ssl_course_run()
    {
        var course = DemoCourse.Create("runrel");
        var released = Path.Combine(course, "released");
        CliProcess.Run(course, TimeSpan.FromMinutes(1), "release", Path.Combine(course, "notebooks"), "--out", released).ExitCode.Should().Be(0);
        var r = CliProcess.Run(course, TimeSpan.FromMinutes(3), "run", Path.Combine(released, "demo.ipynb"), "--budget", "smoke", "--out", Path.Combine(course, "executed"));
        r.ExitCode.Should().Be(0, r.All);
        var executed = File.ReadAllText(Path.Combine(course, "executed", "demo.ipynb"));
        executed.Should().Contain("✗ double: doubling a [3, 4] tensor: not implemented yet").And.Contain("the end");
    }

    [Fact]
    public void The_demo_notebook_is_honest()
    {
        var course = DemoCourse.Create("honest-demo");
        Notebooks.NotebookHonesty.Verify(Path.Combine(course, "notebooks", "demo.ipynb"));
    }
}
