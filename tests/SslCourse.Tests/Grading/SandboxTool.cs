using System.Diagnostics;
using SslCourse.Notebooks;

namespace SslCourse.Tests.Grading;

/// <summary>Makes sure bubblewrap is there before a grading test runs: installs it once with
/// <c>scripts/install-test-tools.sh bwrap</c> when it is missing, and fails naming that command when it still cannot
/// make a sandbox (tests never skip silently).</summary>
public static class SandboxTool
{
    static readonly Lazy<string?> Problem = new(Ensure);

    /// <summary>Throws when no sandbox can be made here, with the reason and the install command.</summary>
    public static void Require()
    {
        if (Problem.Value is { } why)
            throw new InvalidOperationException($"bubblewrap is needed by the grading tests: {why}. Install it with `scripts/install-test-tools.sh bwrap` (as root) or `apt-get install bubblewrap`.");
    }

    static string? Ensure()
    {
        if (Bubblewrap.Find() is { } found && Bubblewrap.Probe(found) == null) return null;
        var psi = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "scripts", "install-test-tools.sh"), "bwrap"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using (var p = Process.Start(psi)!)
        {
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit(300_000);
        }
        var bwrap = Bubblewrap.Find();
        return bwrap == null ? "bwrap is not installed" : Bubblewrap.Probe(bwrap);
    }
}
