using System.Text.Json.Nodes;
using FluentAssertions;

namespace SslCourse.Tests.Notebooks;

/// <summary>
/// Keeps a notebook honest: its source copy, graded in the smoke budget (in the grader's sandbox), runs every
/// code cell without error and passes every check; its released copy runs to the end, and every exercise's check
/// fails with the "not implemented" message; a copy with the plausible wrong solutions fails every check with the
/// expected message (<see cref="WrongSolutionTests"/>). Failures name the notebook, the cell or the exercise.
/// </summary>
public static class NotebookHonesty
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    /// <summary>Runs both checks for <paramref name="notebook"/>; extra grade arguments (limits) may be given.</summary>
    public static void Verify(string notebook, params string[] gradeArgs)
    {
        var name = Path.GetFileName(notebook);
        var work = Repo.TempDir("honest");

        var released = Path.Combine(work, "released");
        var r = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "release", notebook, "--out", released);
        r.ExitCode.Should().Be(0, $"release of {name} must succeed: {r.All}");
        // One grade run for both copies: the grader's reference run of the source is made once and, as the source
        // copy assembles to exactly the source, it is that copy's run too.
        var subs = Path.Combine(work, "submissions");
        Directory.CreateDirectory(Path.Combine(subs, "source"));
        Directory.CreateDirectory(Path.Combine(subs, "released"));
        File.Copy(notebook, Path.Combine(subs, "source", name));
        File.Copy(Path.Combine(released, name), Path.Combine(subs, "released", name));
        // The course's notebooks also get a submission with every exercise answered by its plausible wrong solution.
        var wrong = WrongSolutionTests.Submission(notebook);
        if (wrong != null)
        {
            Directory.CreateDirectory(Path.Combine(subs, "wrong"));
            wrong.Save(Path.Combine(subs, "wrong", name));
        }
        var grades = Path.Combine(work, "grades");
        Grade(subs, notebook, grades, gradeArgs);
        var source = Result(grades, "source__" + Path.GetFileNameWithoutExtension(name));
        var student = Result(grades, "released__" + Path.GetFileNameWithoutExtension(name));

        FailedCells(source).Should().BeEmpty($"every code cell of the source {name} must run in smoke");
        ((bool)source["run"]!["completed"]!).Should().BeTrue($"the source {name} must run to its end ({source["run"]!["stopped"]})");
        foreach (var e in Exercises(source))
            ((bool)e["passed"]!).Should().BeTrue($"{name}, exercise '{e["exercise"]}': the solution in the source must pass its check, but: {e["message"]}");
        ((int)source["score"]!).Should().Be((int)source["max"]! - QuestionPoints(source), $"the source {name} must get full marks for its exercises (written answers wait for the instructor)");
        ((int?)source["pending"] ?? 0).Should().Be(Questions(source).Count(), "no written answer is scored before the instructor scores it");

        FailedCells(student).Should().BeEmpty($"every code cell of the released {name} must still run (later cells use the library)");
        ((bool)student["run"]!["completed"]!).Should().BeTrue($"the released {name} must run to its end ({student["run"]!["stopped"]})");
        foreach (var e in Exercises(student))
        {
            ((bool)e["passed"]!).Should().BeFalse($"{name}, exercise '{e["exercise"]}': the released stub must fail its check");
            ((string)e["message"]!).Should().Contain("not implemented", $"{name}, exercise '{e["exercise"]}': a stub's check must say it is not implemented");
        }
        ((int)student["score"]!).Should().Be(0, $"the released {name} must score 0");

        if (wrong != null) WrongSolutionTests.Verify(name, Result(grades, "wrong__" + Path.GetFileNameWithoutExtension(name)));
    }

    static void Grade(string submissions, string source, string outDir, string[] extra)
    {
        var args = new List<string> { "grade", submissions, "--source", source, "--out", outDir, "--budget", "smoke" };
        args.AddRange(extra);
        var r = CliProcess.Run(Repo.Root, Limit, args.ToArray());
        r.ExitCode.Should().Be(0, $"grading {Path.GetFileName(source)} must run: {r.All}");
    }

    static JsonObject Result(string outDir, string label)
    {
        var json = Path.Combine(outDir, label + ".json");
        File.Exists(json).Should().BeTrue($"grade writes {json}");
        return JsonNode.Parse(File.ReadAllText(json))!.AsObject();
    }

    static IEnumerable<JsonNode> Questions(JsonObject result) => (result["questions"] as JsonArray ?? []).Select(q => q!);

    static int QuestionPoints(JsonObject result) => Questions(result).Sum(q => (int)q["max"]!);

    static IEnumerable<JsonNode> Exercises(JsonObject result) => result["exercises"]!.AsArray().Select(e => e!);

    static IEnumerable<string> FailedCells(JsonObject result) =>
        result["run"]!["failed_cells"]!.AsArray().Select(c => $"cell {c!["cell"]} `{c["first_line"]}` {c["status"]}: {c["error"]}");
}
