using System.Text;
using FluentAssertions;
using SslCourse.Notebooks;
using SslCourse.Notebooks.ClassGrading;
using Xunit;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary><c>grade --merge</c>'s logic on result files written by the grader's own <see cref="GradeReport"/>.</summary>
public class ResultsMergeTests
{
    static SubmissionGrade Grade(string student, string notebook, int[] points, double elapsed = 3.5, string? rejected = null)
    {
        var ids = new[] { ("double", 2), ("sumsq", 3), ("evens", 1) };
        var exercises = rejected != null ? [] : ids.Select((e, i) => new ExerciseGrade(e.Item1, points[i], e.Item2, points[i] == e.Item2, points[i] == e.Item2 ? "✓" : "✗ values differ")).ToList();
        return new SubmissionGrade($"/x/{student}/{notebook}.ipynb", student, notebook, "/src/" + notebook, exercises, [], [], true, null, elapsed, rejected);
    }

    static string Folder(params SubmissionGrade[] grades)
    {
        var dir = Repo.TempDir("results");
        foreach (var g in grades) GradeReport.Write(g, Path.Combine(dir, g.Student), g.Notebook);
        return dir;
    }

    [Fact]
    public void Merge_writes_students_by_exercises_with_totals_and_a_summary()
    {
        var a = Folder(Grade("bob", "demo", [2, 3, 1]), Grade("bob", "extra", [0, 3, 0]));
        var b = Folder(Grade("alice", "demo", [2, 0, 1]), Grade("carol", "demo", [0, 0, 0], rejected: "demo.ipynb: invalid JSON"));
        var merged = ResultsMerge.Merge([a, b]);

        merged.Csv.Split('\n').Should().Equal(
            "student,commit,demo/double,demo/sumsq,demo/evens,extra/double,extra/sumsq,extra/evens,total,max,notes",
            "alice,,2,0,1,,,,3,12,not submitted: extra",
            "bob,,2,3,1,0,3,0,9,12,",
            "carol,,0,0,0,,,,0,12,not submitted: extra; demo not graded: demo.ipynb: invalid JSON",
            "");
        merged.Summary.Should().Contain("3 student(s), 2 notebook(s), 6 exercise(s), 12 points; 4 result file(s) read.")
            .And.Contain("Class mean: 4.00 / 12 points.")
            .And.Contain("| `demo/double` | 2 | 1.33 | 67% (2/3) |")
            .And.Contain("| `extra/sumsq` | 3 | 1.00 | 33% (1/3) |")
            .And.Contain("| bob | 9 | 12 |  |")
            .And.Contain("| carol | 0 | 12 | not submitted: extra; demo not graded: demo.ipynb: invalid JSON |");
    }

    [Fact]
    public void Written_questions_become_columns_empty_while_waiting_for_their_score()
    {
        var scored = Grade("alice", "demo", [2, 3, 1]) with { Questions = [new QuestionGrade("q1", 1, "my answer", 1), new QuestionGrade("q2", 1, "", 0)] };
        var pending = Grade("bob", "demo", [2, 0, 1]) with { Questions = [new QuestionGrade("q1", 1, "an answer"), new QuestionGrade("q2", 1, "another", 1)] };
        var merged = ResultsMerge.Merge([Folder(scored, pending)]);

        merged.Csv.Split('\n').Should().Equal(
            "student,commit,demo/double,demo/sumsq,demo/evens,demo/question:q1,demo/question:q2,total,max,notes",
            "alice,,2,3,1,1,0,7,8,",
            "bob,,2,0,1,,1,4,8,1 written answer(s) not yet scored",
            "");
    }

    [Fact]
    public void Merge_is_deterministic_and_idempotent_whatever_the_folder_order()
    {
        var a = Folder(Grade("bob", "demo", [2, 3, 1]));
        var b = Folder(Grade("alice", "demo", [2, 0, 1]));
        var out1 = Repo.TempDir("merged");
        ResultsMerge.Write(ResultsMerge.Merge([a, b]), out1);
        var first = File.ReadAllBytes(Path.Combine(out1, "grades.csv"));
        var summary = File.ReadAllBytes(Path.Combine(out1, "summary.md"));
        ResultsMerge.Write(ResultsMerge.Merge([b, a]), out1);
        File.ReadAllBytes(Path.Combine(out1, "grades.csv")).Should().Equal(first);
        File.ReadAllBytes(Path.Combine(out1, "summary.md")).Should().Equal(summary);
        ResultsMerge.Merge([b, a, a]).Csv.Should().Be(Encoding.UTF8.GetString(first), "a folder merged twice changes nothing");
        ResultsMerge.Merge([b, a]).Should().Be(ResultsMerge.Merge([a, b]));
    }

    [Fact]
    public void The_same_result_twice_is_fine_even_from_a_rerun_that_took_longer()
    {
        var a = Folder(Grade("bob", "demo", [2, 3, 1], elapsed: 3.5));
        var rerun = Folder(Grade("bob", "demo", [2, 3, 1], elapsed: 9.25));
        var merged = ResultsMerge.Merge([a, rerun, a]);
        merged.Csv.Should().Contain("bob,,2,3,1,6,6,");
        merged.Files.Should().Be(3);
    }

    [Fact]
    public void Two_different_results_for_one_student_and_notebook_are_refused_naming_both_files()
    {
        var a = Folder(Grade("bob", "demo", [2, 3, 1]));
        var b = Folder(Grade("bob", "demo", [2, 0, 1]));
        var act = () => ResultsMerge.Merge([a, b]);
        act.Should().Throw<NotebookFormatException>().Which.Message.Should()
            .Contain("two different results for student 'bob', notebook 'demo'")
            .And.Contain(Path.Combine(a, "bob", "demo.json")).And.Contain("6 / 6 points")
            .And.Contain(Path.Combine(b, "bob", "demo.json")).And.Contain("3 / 6 points");
    }

    [Fact]
    public void With_a_roster_every_student_has_a_row_and_strangers_are_refused()
    {
        var a = Folder(Grade("bob", "demo", [2, 3, 1]));
        new CheckoutRecord("dave", "acme/dave", CheckoutRecord.NoCommit, null, null, "2026-12-20T23:59:00Z", "acme/dave: none of its 2 commit(s) is dated at or before the deadline.").Save(a);
        var roster = new Roster([new("bob", "acme/bob"), new("dave", "acme/dave"), new("erin", "acme/erin")]);
        var merged = ResultsMerge.Merge([a], roster);
        merged.Csv.Split('\n').Skip(1).Should().Equal(
            "bob,,2,3,1,6,6,",
            "dave,,,,,0,6,acme/dave: none of its 2 commit(s) is dated at or before the deadline.",
            "erin,,,,,0,6,\"no result (its chunk did not finish, or its results were not merged)\"",
            "");
        merged.Summary.Should().Contain("3 student(s) on the roster");

        var act = () => ResultsMerge.Merge([a], new Roster([new("dave", "acme/dave")]));
        act.Should().Throw<NotebookFormatException>().Which.Message.Should().Be($"{Path.Combine(a, "bob", "demo.json")}: a result for student 'bob', who is not on the roster.");
    }

    [Fact]
    public void Cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text()
    {
        var a = Folder(Grade("=HYPERLINK(\"http://x\")", "demo", [2, 3, 1]), Grade("@SUM(A1)", "demo", [0, 0, 0]), Grade("-2+3", "demo", [0, 0, 0]));
        var csv = ResultsMerge.Merge([a]).Csv;
        csv.Should().Contain("\"'=HYPERLINK(\"\"http://x\"\")\",,2,3,1").And.Contain("\"'@SUM(A1)\",").And.Contain("\"'-2+3\",");
        csv.Split('\n', ',').Select(c => c.TrimStart('"')).Should().NotContain(c => c.StartsWith('=') || c.StartsWith('@') || c.StartsWith('-') || c.StartsWith('+'));
    }

    [Fact]
    public void Unusable_inputs_are_refused_naming_the_file()
    {
        var a = Folder(Grade("bob", "demo", [2, 3, 1]));
        File.WriteAllText(Path.Combine(a, "bob", "truncated.json"), "{\"schema\": \"ssl-course-grade/1\", \"stud");
        ((Action)(() => ResultsMerge.Merge([a]))).Should().Throw<NotebookFormatException>().WithMessage($"{Path.Combine(a, "bob", "truncated.json")}: invalid JSON*");
        ((Action)(() => ResultsMerge.Merge([Path.Combine(a, "nowhere")]))).Should().Throw<NotebookFormatException>().WithMessage("*nowhere: results folder not found.");
        var empty = Repo.TempDir("empty-results");
        File.WriteAllText(Path.Combine(empty, "other.json"), "{\"schema\": \"something-else\"}");
        ((Action)(() => ResultsMerge.Merge([empty]))).Should().Throw<NotebookFormatException>().WithMessage("no grade results*");
    }
}
