using FluentAssertions;
using SslCourse.Notebooks.ClassGrading;
using Xunit;
using static SslCourse.Tests.Grading.ClassGrading.StudentRepos;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary>Checking a student's repository out as it was at the deadline.</summary>
public class StudentCheckoutTests
{
    static readonly DateTimeOffset Deadline = Day(20, 23);

    static (string Repo, string[] Commits) History()
    {
        var repo = Init(Path.Combine(Repo.TempDir("history"), "student"));
        void Write(string text) => File.WriteAllText(Path.Combine(repo, "answer.txt"), text);
        var commits = new[]
        {
            Commit(repo, Day(1), "start", _ => Write("v1")),
            Commit(repo, Day(10), "more", _ => Write("v2")),
            Commit(repo, Day(25), "late", _ => Write("v3 late")),
        };
        return (repo, commits);
    }

    [Fact]
    public void The_last_commit_at_or_before_the_deadline_is_checked_out_without_its_history()
    {
        var (repo, commits) = History();
        var into = Repo.TempDir("into");
        Directory.CreateDirectory(Path.Combine(into, "bob"));
        File.WriteAllText(Path.Combine(into, "bob", "stale.txt"), "from an earlier run");

        var record = StudentCheckout.Checkout(new RosterEntry("bob", repo), Deadline, into, token: "secret-token-123");

        record.Status.Should().Be(CheckoutRecord.CheckedOut, record.Message);
        record.Commit.Should().Be(commits[1]);
        record.CommittedAt.Should().Be("2026-12-10T12:00:00Z");
        record.Deadline.Should().Be("2026-12-20T23:00:00Z");
        record.Message.Should().Be($"commit {commits[1][..12]} of 2026-12-10T12:00:00Z; 1 later commit(s) ignored");
        File.ReadAllText(Path.Combine(into, "bob", "answer.txt")).Should().Be("v2");
        File.Exists(Path.Combine(into, "bob", "stale.txt")).Should().BeFalse("the folder is replaced");
        Directory.Exists(Path.Combine(into, "bob", ".git")).Should().BeFalse("no history, remote or credentials go to grading");

        var saved = CheckoutRecord.Load(record.Save(into));
        saved.Should().Be(record);
        File.ReadAllText(Path.Combine(into, "bob.checkout.json")).Should().NotContain("secret-token-123");
    }

    [Fact]
    public void A_commit_exactly_at_the_deadline_counts()
    {
        var (repo, commits) = History();
        var record = StudentCheckout.Checkout(new RosterEntry("bob", repo), Day(25), Repo.TempDir("into"));
        record.Commit.Should().Be(commits[2]);
        record.Message.Should().NotContain("later");
    }

    [Fact]
    public void Nothing_is_checked_out_when_every_commit_is_late_or_there_is_none_or_no_repository()
    {
        var (repo, _) = History();
        var into = Repo.TempDir("into");
        var late = StudentCheckout.Checkout(new RosterEntry("bob", repo), Day(1, 11), into);
        late.Status.Should().Be(CheckoutRecord.NoCommit);
        late.Message.Should().Contain("none of its 3 commit(s) on the default branch is dated at or before the deadline 2026-12-01T11:00:00Z");
        Directory.Exists(Path.Combine(into, "bob")).Should().BeFalse();

        var empty = Init(Path.Combine(Repo.TempDir("empty"), "carol"));
        var none = StudentCheckout.Checkout(new RosterEntry("carol", empty), Deadline, into);
        none.Status.Should().Be(CheckoutRecord.NoCommit);
        none.Message.Should().EndWith("has no commits.");

        var missing = StudentCheckout.Checkout(new RosterEntry("dave", Path.Combine(into, "no-such-repo")), Deadline, into);
        missing.Status.Should().Be(CheckoutRecord.Failed);
        missing.Message.Should().StartWith($"could not clone {Path.Combine(into, "no-such-repo")}:");
        Directory.Exists(Path.Combine(into, "dave")).Should().BeFalse();
    }

    [Theory]
    [InlineData("2026-12-20T23:59:00Z", "2026-12-20T23:59:00+00:00")]
    [InlineData("2026-12-20T23:59+01:00", "2026-12-20T22:59:00+00:00")]
    [InlineData("2026-12-20T23:59:30.5-05:00", "2026-12-21T04:59:30.5000000+00:00")]
    public void A_deadline_is_ISO_8601_with_a_time_zone(string text, string utc) =>
        StudentCheckout.ParseDeadline(text).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz").Should().Be(utc.Replace(".5000000", ".5"));

    [Theory]
    [InlineData("2026-12-20T23:59:00")]
    [InlineData("2026-12-20 23:59Z")]
    [InlineData("20/12/2026")]
    [InlineData("2026-13-40T23:59:00Z")]
    public void A_deadline_without_a_time_zone_or_not_a_date_is_refused(string text) =>
        ((Action)(() => StudentCheckout.ParseDeadline(text))).Should().Throw<ArgumentException>().WithMessage($"deadline '{text}': expected ISO 8601 with a time zone*");
}
