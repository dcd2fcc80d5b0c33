using System.Diagnostics;

namespace SslCourse.Tests.Site;

/// <summary>Debian's <c>chromium</c> for the browser tests: found on PATH, or installed once by
/// <c>scripts/install-test-tools.sh chromium</c>; a test that cannot get it fails with the command to run.</summary>
public static class Chromium
{
    static readonly Lazy<string> Executable = new(Find);

    /// <summary>The chromium executable's full path.</summary>
    public static string Path => Executable.Value;

    static string Find()
    {
        if (OnPath() is { } found) return found;
        var script = System.IO.Path.Combine(Repo.Root, "scripts", "install-test-tools.sh");
        var psi = new ProcessStartInfo("bash", [script, "chromium"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return OnPath() ?? throw new InvalidOperationException(
            $"chromium is not installed and `scripts/install-test-tools.sh chromium` could not install it (exit {p.ExitCode}: {err.Result.Trim()}); " +
            "run `sudo scripts/install-test-tools.sh chromium` (apt-get install chromium) and rerun the tests.");
    }

    static string? OnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
}
