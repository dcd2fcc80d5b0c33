using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SslCourse.Notebooks.ClassGrading;

/// <summary>What <see cref="StudentCheckout"/> found for one student (written as <c>&lt;student&gt;.checkout.json</c>).</summary>
/// <param name="Student">The roster's identifier.</param>
/// <param name="Repository">The roster's repository.</param>
/// <param name="Status"><see cref="CheckedOut"/>, <see cref="NoCommit"/> or <see cref="Failed"/>.</param>
/// <param name="Commit">The commit graded (null unless checked out).</param>
/// <param name="CommittedAt">Its committer date (UTC, ISO 8601).</param>
/// <param name="Deadline">The deadline (UTC, ISO 8601).</param>
/// <param name="Message">One sentence for the instructor: what was checked out, or why nothing was.</param>
public sealed record CheckoutRecord(string Student, string Repository, string Status, string? Commit, string? CommittedAt, string Deadline, string Message)
{
    public const string Schema = "ssl-course-checkout/1";
    public const string CheckedOut = "checked-out", NoCommit = "no-commit-before-deadline", Failed = "failed";

    /// <summary>The JSON form.</summary>
    public JsonObject Json() => new()
    {
        ["schema"] = Schema, ["student"] = Student, ["repository"] = Repository, ["status"] = Status,
        ["commit"] = Commit, ["committed_at"] = CommittedAt, ["deadline"] = Deadline, ["message"] = Message,
    };

    /// <summary>Reads a record written by <see cref="Save"/>.</summary>
    /// <exception cref="NotebookFormatException">The file is not a checkout record; the message names it.</exception>
    public static CheckoutRecord Load(string path) => FromJson(ResultsMerge.ParseObject(path), path);

    internal static CheckoutRecord FromJson(JsonObject o, string path)
    {
        string? Str(string k) => o[k] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (Str("schema") != Schema) throw new NotebookFormatException($"{path}: not a checkout record (schema '{Str("schema")}', expected '{Schema}').");
        return new CheckoutRecord(Str("student") ?? throw new NotebookFormatException($"{path}: no 'student'."), Str("repository") ?? "",
            Str("status") ?? throw new NotebookFormatException($"{path}: no 'status'."), Str("commit"), Str("committed_at"), Str("deadline") ?? "", Str("message") ?? "");
    }

    /// <summary>Writes the record atomically into <paramref name="dir"/> as <c>&lt;student&gt;.checkout.json</c>; returns the path.</summary>
    public string Save(string dir)
    {
        var path = Path.Combine(dir, Student + ".checkout.json");
        AtomicFile.WriteAllText(path, Json().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return path;
    }
}

/// <summary>
/// Checks out a student's repository as it was at a deadline: the last commit, walking the default branch's
/// first-parent chain from its tip, whose committer date is at or before the deadline. The copy holds the files of
/// that commit only: its <c>.git</c> folder (history, remote, anything a token could leave) is removed before
/// grading. A token, when given, reaches git through environment variables for one process (never the command line,
/// a config file or the copy), the way actions/checkout passes it.
/// </summary>
public static class StudentCheckout
{
    /// <summary>Parses a deadline: ISO 8601 with a time zone (<c>2026-12-20T23:59:00Z</c>, <c>…+01:00</c>).</summary>
    /// <exception cref="ArgumentException">No time zone, or not a date; the message shows the expected form.</exception>
    public static DateTimeOffset ParseDeadline(string text)
    {
        if (!Regex.IsMatch(text.Trim(), @"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
            || !DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw new ArgumentException($"deadline '{text}': expected ISO 8601 with a time zone, such as 2026-12-20T23:59:00Z or 2026-12-20T23:59:00+01:00.");
        return d;
    }

    /// <summary>Checks out <paramref name="entry"/>'s repository at <paramref name="deadline"/> into
    /// <c>&lt;into&gt;/&lt;student&gt;</c> (replacing what is there) and returns what happened; never throws for a
    /// problem of the student's repository (missing, empty, no commit in time): that is the record's status.</summary>
    public static CheckoutRecord Checkout(RosterEntry entry, DateTimeOffset deadline, string into, string? token = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        var dir = Path.Combine(Path.GetFullPath(into), entry.Student);
        var deadlineText = Iso(deadline);
        CheckoutRecord Record(string status, string message, string? commit = null, string? at = null) =>
            new(entry.Student, entry.Repository, status, commit, at, deadlineText, message);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(dir)!);
        var env = GitEnvironment(token);

        var clone = new List<string> { "clone", "--quiet", "--no-checkout" };
        if (entry.CloneUrl.StartsWith("https://", StringComparison.Ordinal)) clone.Add("--filter=blob:none");
        clone.AddRange(["--", entry.CloneUrl, dir]);
        var (code, output) = Git(Path.GetDirectoryName(dir)!, env, limit, [.. clone]);
        if (code != 0)
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            return Record(CheckoutRecord.Failed, $"could not clone {entry.Repository}: {Scrub(output, token)}");
        }
        var (logCode, log) = Git(dir, env, limit, "log", "--first-parent", "--format=%H %ct", "HEAD");
        if (logCode != 0)
        {
            Directory.Delete(dir, recursive: true);
            return Record(CheckoutRecord.NoCommit, $"{entry.Repository} has no commits.");
        }
        long limitUnix = deadline.ToUnixTimeSeconds();
        (string Sha, long Time)? chosen = null;
        int later = 0;
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Trim().Split(' ');
            if (parts.Length != 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var t)) continue;
            if (t <= limitUnix) { chosen = (parts[0], t); break; }
            later++;
        }
        if (chosen == null)
        {
            Directory.Delete(dir, recursive: true);
            return Record(CheckoutRecord.NoCommit, $"{entry.Repository}: none of its {later} commit(s) on the default branch is dated at or before the deadline {deadlineText}.");
        }
        var (sha, time) = chosen.Value;
        var (coCode, coOut) = Git(dir, env, limit, "-c", "advice.detachedHead=false", "checkout", "--quiet", sha);
        if (coCode != 0)
        {
            Directory.Delete(dir, recursive: true);
            return Record(CheckoutRecord.Failed, $"could not check out {sha[..12]} of {entry.Repository}: {Scrub(coOut, token)}");
        }
        DeleteGitFolder(Path.Combine(dir, ".git"));
        var at = Iso(DateTimeOffset.FromUnixTimeSeconds(time));
        var skipped = later > 0 ? $"; {later} later commit(s) ignored" : "";
        return Record(CheckoutRecord.CheckedOut, $"commit {sha[..12]} of {at}{skipped}", sha, at);
    }

    static string Iso(DateTimeOffset d) => d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Git's settings for one process: no prompts, no system or global config, and the token (if any) as an
    /// HTTP header for github.com, passed in GIT_CONFIG_* variables.</summary>
    static Dictionary<string, string> GitEnvironment(string? token)
    {
        var env = new Dictionary<string, string>
        {
            ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GCM_INTERACTIVE"] = "never",
            ["GIT_CONFIG_COUNT"] = "1", ["GIT_CONFIG_KEY_0"] = "protocol.file.allow", ["GIT_CONFIG_VALUE_0"] = "always",
        };
        if (!string.IsNullOrEmpty(token))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
            env["GIT_CONFIG_COUNT"] = "2";
            env["GIT_CONFIG_KEY_1"] = "http.https://github.com/.extraheader";
            env["GIT_CONFIG_VALUE_1"] = "AUTHORIZATION: basic " + basic;
        }
        return env;
    }

    static string Scrub(string output, string? token)
    {
        var text = output.Trim().Replace('\n', ' ');
        if (!string.IsNullOrEmpty(token)) text = text.Replace(token, "***");
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    static void DeleteGitFolder(string git)
    {
        if (!Directory.Exists(git)) return;
        foreach (var f in Directory.EnumerateFiles(git, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        Directory.Delete(git, recursive: true);
    }

    static (int Code, string Output) Git(string dir, IReadOnlyDictionary<string, string> env, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start git");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            return (124, $"git {args[0]} ran past {timeout.TotalSeconds:0} s and was stopped");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
