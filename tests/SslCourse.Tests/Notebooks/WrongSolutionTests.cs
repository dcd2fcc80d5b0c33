using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Notebooks;

/// <summary>
/// Every exercise of every notebook has at least one plausible wrong solution (in <c>wrong-solutions.json</c>: the code
/// of each solution region, why it is wrong, and a phrase its check's message must contain). Each notebook is graded in
/// smoke with all its exercises answered wrongly at once, in <see cref="NotebookHonesty.Verify"/>'s grade run (so the
/// grader's reference run of the source serves it too): every check must fail, and say the expected thing.
/// </summary>
public class WrongSolutionTests
{
    static readonly string DataFile = Path.Combine(Repo.Root, "tests", "SslCourse.Tests", "Notebooks", "wrong-solutions.json");

    static JsonObject Data => JsonNode.Parse(File.ReadAllText(DataFile))!.AsObject();

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            if (ExerciseFormat.Exercises(NotebookDocument.Load(Path.Combine(Repo.Notebooks, f!))).Count > 0) data.Add(f!);
        return data;
    }

    [Fact]
    public void Every_exercise_of_every_notebook_has_a_wrong_solution()
    {
        var data = Data;
        foreach (var row in (IEnumerable<object[]>)Notebooks())
        {
            var name = (string)row[0];
            var source = NotebookDocument.Load(Path.Combine(Repo.Notebooks, name));
            var wrong = data[name]?.AsObject();
            wrong.Should().NotBeNull($"{name} has exercises: wrong-solutions.json needs an entry for it");
            foreach (var e in ExerciseFormat.Exercises(source))
            {
                var entry = wrong![e.Id];
                entry.Should().NotBeNull($"{name}, exercise '{e.Id}' needs a plausible wrong solution");
                entry!["code"]!.AsArray().Count.Should().Be(ExerciseFormat.Regions(e.Cell.Source)!.Count, $"{name}, '{e.Id}': one code per solution region");
                ((string)entry["says"]!).Should().NotBeNullOrWhiteSpace();
            }
        }
    }

    /// <summary>The notebook at <paramref name="path"/> with every exercise answered by its wrong solution, or null when
    /// the notebook has none (no exercises, or not one of the course's notebooks, e.g. the demo course).
    /// <see cref="NotebookHonesty.Verify"/> grades it in the same run as the source and the released copy (one
    /// reference run serves all three) and calls <see cref="Verify"/> on its result.</summary>
    internal static NotebookDocument? Submission(string path)
    {
        var name = Path.GetFileName(path);
        if (Path.GetFullPath(Path.GetDirectoryName(path)!) != Path.GetFullPath(Repo.Notebooks) || Data[name] is not JsonObject wrong) return null;
        var submission = NotebookDocument.Load(path);
        var exercises = ExerciseFormat.Exercises(submission);
        if (exercises.Count == 0) return null;
        foreach (var e in exercises)
        {
            var code = wrong[e.Id]!["code"]!.AsArray().Select(c => (string)c!).ToList();
            e.Cell.Source = ExerciseFormat.ReplaceSolutions(e.Cell.Source, (k, indent) => string.Join("\n", code[k].Split('\n').Select(l => indent + l)));
        }
        return submission;
    }

    /// <summary>Every check of <paramref name="notebook"/>'s wrong submission failed, and said the expected thing.</summary>
    internal static void Verify(string notebook, JsonObject result)
    {
        var wrong = Data[notebook]!.AsObject();
        foreach (var e in result["exercises"]!.AsArray())
        {
            var id = (string)e!["exercise"]!;
            var message = (string)e["message"]!;
            var entry = wrong[id]!;
            ((bool)e["passed"]!).Should().BeFalse($"{notebook}, '{id}': the wrong solution ({entry["why"]}) must fail its check");
            message.Should().Contain((string)entry["says"]!, $"{notebook}, '{id}': the message for a solution that {entry["why"]} must say so");
            message.Should().NotContain("not implemented").And.NotContain("instructor error").And.NotContain("could not run", $"{notebook}, '{id}': the check must run the wrong solution");
        }
    }
}
