using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary>
/// End to end, in child processes: the demo course plus an exercise whose reference is forbidden (NT-Xent) and a
/// written question. A reference call, an alias, a <c>using static</c> and a reflection route are each rejected with
/// the same message by the check cell in the student's notebook (<c>ssl-course run</c>) and by <c>ssl-course grade</c>;
/// written answers go into the feedback and the scoring file, and <c>grade --manual</c> merges the instructor's
/// scores into JSON, Markdown, JUnit and CSV.
/// </summary>
public class SolutionRulesAndQuestionsTests
{
    const string Reference = "your solution calls SslCourse.Losses.NtXent.Loss, the reference implementation (SslCourse.Losses.NtXent): write it yourself.";

    static JsonObject Cell(string id, string kind, string source, JsonObject? ssl = null, params string[] tags)
    {
        var meta = kind == "code"
            ? new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" }, ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } }
            : new JsonObject();
        if (ssl != null) meta["ssl_course"] = ssl;
        if (tags.Length > 0) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        var cell = new JsonObject { ["cell_type"] = kind, ["id"] = id, ["metadata"] = meta, ["source"] = source };
        if (kind == "code") { cell["execution_count"] = null; cell["outputs"] = new JsonArray(); }
        return cell;
    }

    /// <summary>The demo source with the NT-Xent exercise and one written question (holding a model answer).</summary>
    static JsonObject Source()
    {
        var nb = DemoCourse.Source();
        var cells = nb["cells"]!.AsArray();
        int end = cells.Count - 1;
        var added = new[]
        {
            Cell("ex-ntxent", "code", "// EXERCISE ntxent (2 points): NT-Xent\nTensor MyNtXent(Tensor za, Tensor zb, double t)\n{\n    // BEGIN SOLUTION\n" +
                "    long n = za.shape[0];\n    var z = nn.functional.normalize(cat(new[] { za, zb }, 0), dim: 1);\n    var sim = z.matmul(z.T) / t;\n" +
                "    sim = sim.masked_fill(eye(2 * n, dtype: ScalarType.Bool), double.NegativeInfinity);\n" +
                "    return nn.functional.cross_entropy(sim, cat(new[] { arange(n, 2 * n), arange(0, n) }, 0));\n    // END SOLUTION\n}",
                new JsonObject { ["exercise"] = "ntxent", ["points"] = 2 }, "exercise"),
            Cell("check-ntxent", "code", "// CHECK ntxent (locked: do not edit)\nvar zaN = global::TorchSharp.torch.randn(new long[] { 6, 4 }, generator: global::SslCourse.Course.Generator(3));\n" +
                "var zbN = global::TorchSharp.torch.randn(new long[] { 6, 4 }, generator: global::SslCourse.Course.Generator(4));\n" +
                "global::SslCourse.Exercises.Check.Exercise(\"ntxent\").Forbid(\"SslCourse.Losses.NtXent\")\n" +
                "    .Tensor(\"loss of 6 pairs\", () => MyNtXent(zaN, zbN, 0.5), () => global::SslCourse.Losses.NtXent.Loss(zaN, zbN, 0.5))\n    .Done()",
                new JsonObject { ["check"] = "ntxent", ["points"] = 2 }, "check"),
            Cell("question-1", "markdown", "**Question 1.** Why is the positive in the denominator of NT-Xent?"),
            Cell("answer-1", "markdown", "MODEL ANSWER: it makes the loss a softmax cross-entropy over 2N - 1 candidates.",
                new JsonObject { ["question"] = "q1", ["points"] = 2 }, "question"),
        };
        for (int i = 0; i < added.Length; i++) cells.Insert(end + i, added[i]);
        return nb;
    }

    static string Course(string name, JsonObject source)
    {
        var root = DemoCourse.Create(name);
        DemoCourse.Save(source, Path.Combine(root, "notebooks", "demo.ipynb"));
        return root;
    }

    /// <summary>A course with <see cref="Source"/>, released with <c>ssl-course release</c>; the student's copy has the
    /// source's solutions of <paramref name="solved"/> put back.</summary>
    static (string Course, JsonObject Source, JsonObject Student) Released(string name, params string[] solved)
    {
        var source = Source();
        var course = Course(name, source);
        var released = Path.Combine(course, "released");
        CliProcess.Run(course, TimeSpan.FromMinutes(1), "release", Path.Combine(course, "notebooks", "demo.ipynb"), "--out", released).ExitCode.Should().Be(0);
        var student = JsonNode.Parse(File.ReadAllText(Path.Combine(released, "demo.ipynb")))!.AsObject();
        foreach (var id in solved) student = DemoCourse.WithSolution(student, id, DemoCourse.SolutionOf(source, id));
        return (course, source, student);
    }

    static JsonObject WithExtraCell(JsonObject nb, string afterId, JsonObject cell)
    {
        var copy = nb.DeepClone().AsObject();
        var cells = copy["cells"]!.AsArray();
        int at = cells.Select((c, i) => (c, i)).Single(x => (string)x.c!["id"]! == afterId).i;
        cells.Insert(at + 1, cell);
        return copy;
    }

    [Fact]
    public void The_reference_an_alias_a_using_static_and_reflection_are_rejected_alike_in_the_notebook_and_in_grade()
    {
        var (course, source, student) = Released("bypass", "double", "sumsq", "evens");
        var subs = Path.Combine(course, "submissions");
        var cases = new Dictionary<string, (JsonObject Notebook, string Message)>
        {
            ["reference"] = (DemoCourse.WithSolution(student, "ntxent", "return global::SslCourse.Losses.NtXent.Loss(za, zb, t);"), Reference),
            ["alias"] = (DemoCourse.WithSolution(WithExtraCell(student, "usings", Cell("mine", "code", "using Mine = SslCourse.Losses.NtXent;")), "ntxent", "return Mine.Loss(za, zb, t);"), Reference),
            ["usingstatic"] = (DemoCourse.WithSolution(WithExtraCell(student, "usings", Cell("mine", "code", "using static SslCourse.Losses.NtXent;")), "ntxent", "return Loss(za, zb, t);"), Reference),
            ["reflection"] = (DemoCourse.WithSolution(student, "ntxent",
                "var type = typeof(global::SslCourse.Course).Assembly.GetType(\"SslCourse.Losses.\" + \"NtXent\")!;\nreturn (Tensor)type.GetMethods().First(m => m.Name == \"Loss\").Invoke(null, new object[] { za, zb, t })!;"),
                "your solution uses System.Type (reflection), which is not allowed in a solution."),
        };
        foreach (var (name, (nb, _)) in cases) DemoCourse.Save(nb, Path.Combine(subs, name + ".ipynb"));

        // In the notebook: the check cell's own verdict, as the student sees it.
        foreach (var (name, (_, message)) in cases)
        {
            var run = CliProcess.Run(course, TimeSpan.FromMinutes(3), "run", Path.Combine(subs, name + ".ipynb"), "--budget", "smoke", "--out", Path.Combine(course, "executed-" + name));
            var executed = File.ReadAllText(Path.Combine(course, "executed-" + name, name + ".ipynb"));
            executed.Should().Contain(message, $"the notebook check must reject the {name} route: {run.All}");
        }

        // In grade: the same message, 0 points for that exercise, full marks for the rest.
        var outDir = Path.Combine(course, "grades");
        var r = CliProcess.Run(course, TimeSpan.FromMinutes(10), "grade", subs, "--source", Path.Combine(course, "notebooks"), "--out", outDir);
        r.ExitCode.Should().Be(0, r.All);
        foreach (var (name, (_, message)) in cases)
        {
            var result = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name + ".json")))!.AsObject();
            var ntxent = result["exercises"]!.AsArray().Single(e => (string)e!["exercise"]! == "ntxent")!;
            ((bool)ntxent["passed"]!).Should().BeFalse(name);
            ((string)ntxent["message"]!).Should().Be("✗ ntxent: " + message, name);
            ((int)result["score"]!).Should().Be(DemoCourse.MaxPoints, $"{name}: the other exercises still score ({r.Stdout})");
        }
    }

    [Fact]
    public void Release_empties_the_answer_cells_and_drops_the_model_answer()
    {
        var source = NotebookDocument.Parse(Source().ToJsonString(), "demo.ipynb");
        ExerciseFormat.Questions(source).Should().ContainSingle().Which.Points.Should().Be(2);
        var released = Release.Apply(source);
        var q = ExerciseFormat.Questions(released).Should().ContainSingle().Subject;
        q.Id.Should().Be("q1");
        q.Cell.Source.Should().BeEmpty();
        released.ToJson().Should().NotContain("MODEL ANSWER");
        released.ToJson().Should().Contain("Why is the positive in the denominator", "the question itself stays");
    }

    [Fact]
    public void A_question_cell_must_be_markdown_with_a_unique_id()
    {
        var nb = Source();
        nb["cells"]!.AsArray().Add(Cell("answer-again", "code", "// x", new JsonObject { ["question"] = "q1", ["points"] = 1 }));
        var problems = ExerciseFormat.Problems(NotebookDocument.Parse(nb.ToJsonString(), "demo.ipynb"));
        problems.Should().Contain(p => p.Contains("question id 'q1' is used by 2 cells")).And.Contain(p => p.Contains("must be a markdown cell"));
    }

    [Fact]
    public void Written_answers_are_collected_and_the_instructors_scores_merge_into_every_output()
    {
        var (course, _, student) = Released("manual", "double", "sumsq", "evens", "ntxent");
        var subs = Path.Combine(course, "submissions");
        DemoCourse.Save(DemoCourse.WithCellSource(student, "answer-1", "Because the softmax runs over every other sample,\nthe positive included."), Path.Combine(subs, "ann.ipynb"));
        DemoCourse.Save(student, Path.Combine(subs, "bob.ipynb"));   // no answer written

        var outDir = Path.Combine(course, "grades");
        var r = CliProcess.Run(course, TimeSpan.FromMinutes(10), "grade", subs, "--source", Path.Combine(course, "notebooks"), "--out", outDir);
        r.ExitCode.Should().Be(0, r.All);
        JsonObject Result(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name + ".json")))!.AsObject();
        var ann = Result("ann");
        ((int)ann["score"]!).Should().Be(8, "all 8 exercise points; the question is pending");
        ((int)ann["max"]!).Should().Be(10);
        ((int)ann["pending"]!).Should().Be(1);
        ann["questions"]![0]!["status"]!.GetValue<string>().Should().Be("pending");
        ann["questions"]![0]!["answer"]!.GetValue<string>().Should().StartWith("Because the softmax");
        File.ReadAllText(Path.Combine(outDir, "ann.md")).Should().Contain("> Because the softmax runs over every other sample,").And.Contain("waiting for the instructor's score");
        File.ReadAllText(Path.Combine(outDir, "ann.xml")).Should().Contain("skipped=\"1\"");
        File.ReadAllLines(Path.Combine(outDir, "grades.csv"))[0].Should().Be("student,demo/double,demo/sumsq,demo/evens,demo/ntxent,demo/question:q1,total,max");

        // The instructor scores the answers in the scoring file, then merges.
        var scoring = Path.Combine(outDir, ManualScores.FileName);
        var entries = JsonNode.Parse(File.ReadAllText(scoring))!.AsArray();
        entries.Should().HaveCount(2);
        foreach (var e in entries)
        {
            e!["points"] = (string)e["student"]! == "ann" ? 2 : 0;
            e["comment"] = (string)e["student"]! == "ann" ? "Right: a softmax over 2N - 1." : "No answer.";
        }
        File.WriteAllText(scoring, entries.ToJsonString());   // the instructor edits the file in place
        var m = CliProcess.Run(course, TimeSpan.FromMinutes(1), "grade", "--manual", scoring, "--out", outDir);
        m.ExitCode.Should().Be(0, m.All);

        ann = Result("ann");
        ((int)ann["score"]!).Should().Be(10);
        ((int)ann["pending"]!).Should().Be(0);
        ann["questions"]![0]!["comment"]!.GetValue<string>().Should().Be("Right: a softmax over 2N - 1.");
        ((int)Result("bob")["score"]!).Should().Be(8);
        File.ReadAllText(Path.Combine(outDir, "ann.md")).Should().Contain("## demo: 10 / 10 points").And.Contain("2 / 2").And.Contain("Instructor: Right");
        File.ReadAllText(Path.Combine(outDir, "ann.xml")).Should().Contain("skipped=\"0\"").And.Contain("2 / 2 points");
        File.ReadAllLines(Path.Combine(outDir, "grades.csv")).Should().Contain("ann,2,3,1,2,2,10,10").And.Contain("bob,2,3,1,2,0,8,10");

        // Scores outside 0..max are refused with the file and the entry named; nothing is changed.
        var wrong = entries.DeepClone().AsArray();
        wrong[0]!["points"] = 5;
        var badFile = Path.Combine(course, "scores.json");
        File.WriteAllText(badFile, wrong.ToJsonString());
        var bad = CliProcess.Run(course, TimeSpan.FromMinutes(1), "grade", "--manual", badFile, "--out", outDir);
        bad.ExitCode.Should().Be(2, bad.All);
        bad.Stderr.Should().Contain("scores.json, entry 1").And.Contain("points 5: expected a whole number from 0 to 2");
        ((int)Result("ann")["score"]!).Should().Be(10);

        // Grading again keeps the instructor's scores for unchanged answers.
        CliProcess.Run(course, TimeSpan.FromMinutes(10), "grade", Path.Combine(subs, "ann.ipynb"), "--source", Path.Combine(course, "notebooks"), "--out", outDir, "--student", "ann").ExitCode.Should().Be(0);
        JsonNode.Parse(File.ReadAllText(scoring))!.AsArray().Single(e => (string)e!["student"]! == "ann")!["points"]!.GetValue<int>().Should().Be(2);
    }
}
