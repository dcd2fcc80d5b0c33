using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary>The exercise format, release and the assembly of a graded notebook (in process, no kernel).</summary>
public class ReleaseTests
{
    readonly string _dir = Repo.TempDir("release");

    NotebookDocument Source() => NotebookDocument.Parse(DemoCourse.Source().ToJsonString(), Path.Combine(_dir, "demo.ipynb"));

    [Fact]
    public void Release_turns_solutions_into_stubs_and_keeps_everything_else()
    {
        var source = Source();
        source.Cells[0].Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "old" });
        var released = Release.Apply(source);

        var double_ = released.Cells.Single(c => c.Id == "ex-double").Source;
        double_.Should().Be("// EXERCISE double (2 points): double every entry of a tensor\nTensor DoubleIt(Tensor x)\n{\n    // BEGIN SOLUTION\n    throw new NotImplementedException(\"Exercise double: double every entry of a tensor\");\n    // END SOLUTION\n}");
        released.Cells.Where(c => ExerciseFormat.ExerciseId(c) != null).Select(c => c.Source).Should().NotContain(s => s.Contains("return"));
        released.Cells.Should().OnlyContain(c => !c.IsCode || c.Outputs.Count == 0);
        for (int i = 0; i < source.Cells.Count; i++)
        {
            if (ExerciseFormat.ExerciseId(source.Cells[i]) != null)
            {
                released.Cells[i].Metadata.ToJsonString().Should().Be(source.Cells[i].Metadata.ToJsonString(), "metadata and tags survive");
                continue;
            }
            var a = source.Cells[i].Json.DeepClone().AsObject();
            a["outputs"] = released.Cells[i].Json["outputs"]?.DeepClone();
            if (!source.Cells[i].IsCode) a.Remove("outputs");
            released.Cells[i].Json.ToJsonString().Should().Be(a.ToJsonString(), $"cell {i + 1} is not an exercise and stays as it is");
        }
        released.Metadata.ToJsonString().Should().Be(source.Metadata.ToJsonString());
    }

    [Fact]
    public void Release_refuses_a_notebook_that_breaks_the_format_and_names_the_cell()
    {
        var noCheck = NotebookDocument.Parse(DemoCourse.Without(DemoCourse.Source(), "check-sumsq").ToJsonString(), "/x/bad.ipynb");
        var act = () => Release.Apply(noCheck);
        act.Should().Throw<NotebookFormatException>().WithMessage("*bad.ipynb*cell 8 (exercise 'sumsq'): no check cell*");

        var noMarkers = NotebookDocument.Parse(DemoCourse.WithCellSource(DemoCourse.Source(), "ex-evens", "// EXERCISE evens (1 points): evens\nIEnumerable<int> Evens(int n) => null;").ToJsonString(), "/x/bad.ipynb");
        var act2 = () => Release.Apply(noMarkers);
        act2.Should().Throw<NotebookFormatException>().WithMessage("*exercise 'evens'*BEGIN SOLUTION*");
    }

    [Fact]
    public void Exercise_ids_come_from_metadata_or_from_the_header_line()
    {
        var nb = DemoCourse.Source();
        foreach (var c in nb["cells"]!.AsArray()) c!["metadata"]!.AsObject().Remove("ssl_course");
        var doc = NotebookDocument.Parse(nb.ToJsonString(), "h.ipynb");
        ExerciseFormat.Exercises(doc).Select(e => (e.Id, e.Points, e.CheckCell?.Id)).Should().Equal(("double", 2, "check-double"), ("sumsq", 3, "check-sumsq"), ("evens", 1, "check-evens"));
        ExerciseFormat.Problems(doc).Should().BeEmpty();
    }

    [Fact]
    public void Assembly_takes_only_the_code_between_the_markers_from_the_submission()
    {
        var sub = DemoCourse.WithSolution(DemoCourse.Source(), "double", "return x * 3;");
        sub = DemoCourse.WithCellSource(sub, "check-double", "new global::SslCourse.Exercises.CheckResult(\"double\", true, \"✓\")");
        sub = DemoCourse.WithCellSource(sub, "setup", "Console.WriteLine(\"my own setup\");");
        var submission = NotebookDocument.Parse(sub.ToJsonString(), "s.ipynb");
        var a = GradeAssembly.Assemble(Source(), submission);

        a.Notebook.Cells.Single(c => c.Id == "ex-double").Source.Should().Contain("return x * 3;").And.NotContain("x * 2");
        a.Notebook.Cells.Single(c => c.Id == "check-double").Source.Should().StartWith("// CHECK double");
        a.Notebook.Cells.Single(c => c.Id == "setup").Source.Should().Contain("Course.Setup");
        a.Missing.Should().BeEmpty();
        a.Notes.Should().BeEmpty();
    }

    [Fact]
    public void Assembly_reports_a_missing_cell_and_lost_markers()
    {
        var sub = DemoCourse.Without(DemoCourse.Source(), "ex-evens");
        sub = DemoCourse.WithCellSource(sub, "ex-sumsq", "// EXERCISE sumsq (3 points): sum of squares\ndouble SumOfSquares(double[] xs) => xs.Select(v => v * v).Sum();");
        var a = GradeAssembly.Assemble(Source(), NotebookDocument.Parse(sub.ToJsonString(), "s.ipynb"));

        a.Missing.Should().Equal("evens");
        a.Notebook.Cells.Single(c => c.Id == "ex-evens").Source.Should().Contain("throw new NotImplementedException(\"Exercise evens");
        a.Notebook.Cells.Single(c => c.Id == "ex-sumsq").Source.Should().Be("// EXERCISE sumsq (3 points): sum of squares\ndouble SumOfSquares(double[] xs) => xs.Select(v => v * v).Sum();");
        a.Notes.Should().Contain(n => n.Contains("'evens'") && n.Contains("no exercise cell"))
            .And.Contain(n => n.Contains("'sumsq'") && n.Contains("BEGIN SOLUTION"));
    }

    [Fact]
    public void A_submission_is_matched_by_file_name_then_by_exercise_ids()
    {
        var source = Source();
        var other = NotebookDocument.Parse(DemoCourse.Source().ToJsonString().Replace("\"double\"", "\"triple\"").Replace("\"sumsq\"", "\"cubes\"").Replace("\"evens\"", "\"odds\""), Path.Combine(_dir, "other.ipynb"));
        var renamed = NotebookDocument.Parse(DemoCourse.Source().ToJsonString(), "/sub/alice-demo (1).ipynb");
        GradeAssembly.MatchSource(renamed, [other, source]).Should().BeSameAs(source);
        var sameName = NotebookDocument.Parse("{\"cells\": []}", "/sub/other.ipynb");
        GradeAssembly.MatchSource(sameName, [other, source]).Should().BeSameAs(other);
        GradeAssembly.MatchSource(NotebookDocument.Parse("{\"cells\": []}", "/sub/unknown.ipynb"), [other, source]).Should().BeNull();
    }
}
