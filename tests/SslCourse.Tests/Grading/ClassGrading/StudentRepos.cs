using System.Globalization;
using FluentAssertions;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary>Small git repositories made for the tests, with commits at chosen dates.</summary>
public static class StudentRepos
{
    /// <summary>Runs git in <paramref name="dir"/>, dating a commit at <paramref name="when"/>; fails the test on an error.</summary>
    public static string Git(string dir, DateTimeOffset? when, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_AUTHOR_NAME"] = "student", ["GIT_AUTHOR_EMAIL"] = "student@example.invalid",
            ["GIT_COMMITTER_NAME"] = "student", ["GIT_COMMITTER_EMAIL"] = "student@example.invalid",
        };
        if (when is { } w)
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = w.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var r = DevEnv.Shell.Run(dir, TimeSpan.FromMinutes(1), env, "git", args);
        r.ExitCode.Should().Be(0, $"git {string.Join(' ', args)} in {dir}: {r.All}");
        return r.Stdout.Trim();
    }

    /// <summary>A new repository with no commits at <paramref name="dir"/>.</summary>
    public static string Init(string dir)
    {
        Directory.CreateDirectory(dir);
        Git(dir, null, "init", "-q", "-b", "main");
        return dir;
    }

    /// <summary>Applies <paramref name="change"/> to the work tree and commits everything at <paramref name="when"/>; returns the commit.</summary>
    public static string Commit(string repo, DateTimeOffset when, string message, Action<string> change)
    {
        change(repo);
        Git(repo, when, "add", "-A");
        Git(repo, when, "commit", "-q", "--allow-empty", "-m", message);
        return Git(repo, null, "rev-parse", "HEAD");
    }

    public static DateTimeOffset Day(int day, int hour = 12) => new(2026, 12, day, hour, 0, 0, TimeSpan.Zero);
}
