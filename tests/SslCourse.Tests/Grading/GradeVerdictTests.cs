using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary>
/// The verdict computed outside the sandbox (<see cref="GradeVerdict"/>) and the channel it reads: whatever a
/// submission writes on the channel, a part passes only when the student's values match the grader's own reference.
/// </summary>
public class GradeVerdictTests
{
    static PartEvidence Ref(int part, string kind, EvidenceData? reference, double rtol = 1e-4, double atol = 1e-6) =>
        new("double", part, $"part {part}", kind, rtol, atol, null, reference, null, null);

    static PartEvidence Student(int part, EvidenceData? value, string? error = null) =>
        new("double", part, "anything the student says", "true", 1e9, 1e9, value, new EvidenceData([2], "float32", [0, 0]), error, null);

    static readonly PartEvidence[] References =
    [
        Ref(0, "tensor", new EvidenceData([2], "float32", [2.0, 4.0])),
        Ref(1, "scalar", new EvidenceData([], "float64", [14.0])),
        Ref(2, "sequence", new EvidenceData(Items: ["0", "2", "4"])),
        Ref(3, "true", null),
    ];

    static Dictionary<int, PartEvidence> Correct() => new()
    {
        [0] = Student(0, new EvidenceData([2], "float32", [2.0, 4.0 + 1e-9])),
        [1] = Student(1, new EvidenceData([], "float64", [14.0])),
        [2] = Student(2, new EvidenceData(Items: ["0", "2", "4"])),
        [3] = Student(3, new EvidenceData(Truth: true)),
    };

    [Fact]
    public void Correct_values_pass_and_the_students_own_kinds_and_tolerances_are_ignored()
    {
        GradeVerdict.Failure(References, Correct()).Should().BeNull();
        var wrong = Correct();
        wrong[0] = Student(0, new EvidenceData([2], "float32", [2.0, 5.0]));
        GradeVerdict.Failure(References, wrong).Should().Contain("part 0").And.Contain("1 of 2 values differ from the grader's reference");
    }

    [Theory]
    [InlineData(0, "shape")]
    [InlineData(1, "values differ")]
    [InlineData(2, "first difference at index 1")]
    [InlineData(3, "does not hold")]
    public void Forged_or_wrong_evidence_fails_the_part(int part, string message)
    {
        var e = Correct();
        e[part] = part switch
        {
            0 => Student(0, new EvidenceData([1, 2], "float32", [2.0, 4.0])),
            1 => Student(1, new EvidenceData([], "float64", [14.5])),
            2 => Student(2, new EvidenceData(Items: ["0", "1", "4"])),
            _ => Student(3, new EvidenceData(Truth: false)),
        };
        GradeVerdict.Failure(References, e).Should().StartWith($"part {part}").And.Contain(message);
    }

    [Fact]
    public void Missing_parts_NaN_and_errors_fail()
    {
        var e = Correct();
        e.Remove(2);
        GradeVerdict.Failure(References, e).Should().Contain("part 2: the check reported no result");
        e = Correct();
        e[0] = Student(0, new EvidenceData([2], "float32", [2.0, double.NaN]));
        GradeVerdict.Failure(References, e).Should().Contain("part 0").And.Contain("values differ");
        e = Correct();
        e[1] = Student(1, null, "your code threw InvalidOperationException: oops.");
        GradeVerdict.Failure(References, e).Should().Be("part 1: your code threw InvalidOperationException: oops.");
    }

    [Fact]
    public void A_training_part_needs_a_decreasing_finite_loss()
    {
        PartEvidence[] refs = [Ref(0, "decreases", null)];
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Student(0, new EvidenceData([4], "float64", [2.0, 1.5, 1.2, 1.0])) }).Should().BeNull();
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Student(0, new EvidenceData([4], "float64", [1.0, 1.5, 1.2, 1.1])) }).Should().Contain("expected the loss to decrease");
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Student(0, new EvidenceData([2], "float64", [1.0, double.PositiveInfinity])) }).Should().Contain("finite");
    }

    [Fact]
    public void An_assemble_and_train_part_beats_the_reference_runs_random_scores_not_the_students()
    {
        // The grader's run scored three random initialisations 0.25, 0.28 and 0.30: spread 0.05, minimum margin 0.05.
        PartEvidence[] refs = [Ref(0, "learns", new EvidenceData([3], "float64", [0.25, 0.28, 0.30]), rtol: 0, atol: 0.05)];
        PartEvidence Trained(double score, params double[] losses) =>
            new("double", 0, "x", "learns", 0, 0, new EvidenceData([losses.Length], "float64", losses, Score: score), new EvidenceData([3], "float64", [0.0, 0.0, 0.0]), null, null);
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Trained(0.36, 2.0, 1.5, 1.2, 1.0) }).Should().BeNull();
        // The student's own "random scores" (zeros) are ignored: 0.34 does not beat 0.30 by more than 0.05.
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Trained(0.34, 2.0, 1.5, 1.2, 1.0) }).Should().Contain("random initialisations score up to 0.3");
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Trained(0.9, 1.0, 1.5, 1.2, 1.1) }).Should().Contain("expected the loss to decrease");
        GradeVerdict.Failure(refs, new Dictionary<int, PartEvidence> { [0] = Student(0, new EvidenceData([4], "float64", [2.0, 1.5, 1.2, 1.0])) }).Should().Contain("score could not be read");
        GradeVerdict.Failure([Ref(0, "learns", null)], new Dictionary<int, PartEvidence> { [0] = Trained(0.9, 2.0, 1.0) }).Should().Contain("instructor error");
    }

    [Fact]
    public void The_channel_carries_records_through_other_output_and_rejects_junk()
    {
        var stream = new MemoryStream();
        var writer = new GradeChannel.Writer(stream);
        var evidence = new PartEvidence("double", 0, "doubling", "tensor", 1e-4, 1e-6, new EvidenceData([1], "float32", [double.NaN]), null, null, "multiply");
        writer.Write(new GradeRecord("evidence", 5, Evidence: evidence));
        writer.Write(new GradeRecord("done"));
        var lines = System.Text.Encoding.ASCII.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var parsed = GradeChannel.Parse("junk printed without a newline " + lines[0])!;
        parsed.Kind.Should().Be("evidence");
        parsed.Evidence!.Student!.Values!.Single().Should().Be(double.NaN);
        GradeChannel.Parse(lines[1])!.Kind.Should().Be("done");
        GradeChannel.Parse("PASSED").Should().BeNull();
        GradeChannel.Parse("SSLREC2 not-base64!").Should().BeNull();
    }

    [Fact]
    public void Grades_csv_neutralises_formulas_and_quotes_fields()
    {
        static SubmissionGrade G(string student, int points) =>
            new($"{student}.ipynb", student, "demo", "demo.ipynb", [new ExerciseGrade("double", points, 2, points == 2, "")], [], [], true, null, 1, null);
        var csv = GradesCsv.Format([G("=HYPERLINK(\"http://x\",\"y\")", 2), G("@SUM(1)", 0), G("+cmd", 2), G("-1", 0), G("bad\rrow", 2), G("tab\tname", 0), G("\tlead", 2), G("a,b", 0), G("plain", 2)]);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("student,demo/double,total,max");
        csv.Should().Contain("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2,2,2\n")
            .And.Contain("\"'@SUM(1)\",0,0,2\n").And.Contain("\"'+cmd\",2,2,2\n").And.Contain("\"'-1\",0,0,2\n")
            .And.Contain("\"bad\rrow\",2,2,2\n").And.Contain("\"'\tlead\",2,2,2\n").And.Contain("\"a,b\",0,0,2\n").And.Contain("plain,2,2,2\n");
        csv.Split('\n').Where(l => l.Length > 0).Should().HaveCount(10, "a CR inside a quoted name does not split its row");
    }
}
