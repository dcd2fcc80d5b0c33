using System.Text.Json.Nodes;
using FluentAssertions;
using SslCourse.Notebooks;
using SslCourse.Notebooks.ClassGrading;
using Xunit;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary>The roster file and its chunks for the Actions matrix.</summary>
public class RosterTests
{
    static string Write(string text)
    {
        var path = Path.Combine(Repo.TempDir("roster"), "roster.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_roster_reads_in_any_column_order_with_comments_blank_lines_and_extra_columns()
    {
        var roster = Roster.Load(Write("# term 2026\nemail, Repository ,STUDENT\nb@x.org,acme/bob-ssl,bob\n\n\"a@x.org\",\"https://git.example.org/alice.git\", alice \n"));
        roster.Students.Should().Equal(new RosterEntry("alice", "https://git.example.org/alice.git"), new RosterEntry("bob", "acme/bob-ssl"));
        roster.Students[1].CloneUrl.Should().Be("https://github.com/acme/bob-ssl.git");
        roster.Students[0].CloneUrl.Should().Be("https://git.example.org/alice.git");
    }

    [Theory]
    [InlineData("name,repository\nbob,acme/bob\n", "line 1: the header 'name,repository' lacks 'student'")]
    [InlineData("student,repo\nbob,acme/bob\n", "lacks 'repository'")]
    [InlineData("student,repository\nbob,acme/bob\nalice,acme/a\nBob,acme/b2\n", "line 4: student 'Bob' is already on line 2")]
    [InlineData("student,repository\n=SUM(A1),acme/bob\n", "line 2: student '=SUM(A1)': expected letters, digits")]
    [InlineData("student,repository\n../etc,acme/bob\n", "student '../etc': expected letters")]
    [InlineData("student,repository\nbob,\n", "line 2: student 'bob' has no repository")]
    [InlineData("student,repository\nbob,\"acme/bob\n", "line 2: not valid CSV")]
    [InlineData("student,repository\n", "no students")]
    [InlineData("", "empty file")]
    public void A_bad_roster_is_refused_naming_the_file_line_and_what_was_expected(string text, string message)
    {
        var path = Write(text);
        var act = () => Roster.Load(path);
        act.Should().Throw<NotebookFormatException>().Which.Message.Should().StartWith(path).And.Contain(message);
    }

    static Roster Class(int n) => new(Enumerable.Range(0, n).Select(i => new RosterEntry($"s{i:000}", $"acme/s{i}")).Reverse());

    [Theory]
    [InlineData(1, 10, 1)]
    [InlineData(30, 8, 4)]
    [InlineData(500, 25, 20)]
    [InlineData(500, 1, 256)]
    [InlineData(10000, 10, 256)]
    public void Chunks_cover_every_student_once_in_order_evenly_within_the_job_limit(int students, int size, int expectedChunks)
    {
        var roster = Class(students);
        int n = RosterChunks.Count(students, size);
        n.Should().Be(expectedChunks);
        var chunks = Enumerable.Range(1, n).Select(k => RosterChunks.Chunk(roster, k, n)).ToList();
        chunks.SelectMany(c => c).Should().Equal(roster.Students, "chunks are consecutive runs of the ordinal order");
        chunks.Max(c => c.Count).Should().BeLessThanOrEqualTo(Math.Max(size, (students + 255) / 256));
        (chunks.Max(c => c.Count) - chunks.Min(c => c.Count)).Should().BeLessThanOrEqualTo(1, "chunks are as even as possible");

        var matrix = JsonNode.Parse(RosterChunks.Matrix(roster, size))!["include"]!.AsArray();
        matrix.Should().HaveCount(n);
        matrix.Select(m => (int)m!["chunk"]!).Should().Equal(Enumerable.Range(1, n));
        matrix.Should().OnlyContain(m => (int)m!["chunks"]! == n);
        matrix.Sum(m => (int)m!["students"]!).Should().Be(students);
    }

    [Fact]
    public void The_roster_order_does_not_change_the_chunks()
    {
        var a = Class(23);
        var b = new Roster(a.Students.OrderBy(s => s.Repository.GetHashCode()));
        for (int k = 1; k <= 3; k++) RosterChunks.Chunk(a, k, 3).Should().Equal(RosterChunks.Chunk(b, k, 3));
    }

    [Fact]
    public void A_chunk_outside_the_plan_is_refused()
    {
        var roster = Class(5);
        ((Action)(() => RosterChunks.Chunk(roster, 4, 3))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*chunk number from 1 to 3*");
        ((Action)(() => RosterChunks.Chunk(roster, 1, 6))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1 to 5 chunks*");
        ((Action)(() => RosterChunks.Count(5, 0))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
