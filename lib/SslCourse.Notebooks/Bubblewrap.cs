using System.Diagnostics;

namespace SslCourse.Notebooks;

/// <summary>
/// Runs the grading worker in a bubblewrap (<c>bwrap</c>) sandbox: new user, PID, mount, network, IPC, UTS and cgroup
/// namespaces; a root file system made of read-only bind mounts of the system folders, the .NET runtime, the NuGet
/// package cache and the sandbox's layout (<see cref="GradeSandbox.Mounts"/>); a private size-limited <c>/tmp</c> and
/// <c>notebooks/</c>; a fresh <c>/proc</c> (the grader's processes are not visible); a cleared environment; the
/// sandbox's init dies with the grader (<c>--die-with-parent</c>) and every process in the PID namespace dies with it.
/// </summary>
public static class Bubblewrap
{
    /// <summary>How to get bubblewrap, for the error message of <c>grade</c>.</summary>
    public const string InstallHint =
        "install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`, or `scripts/install-test-tools.sh bwrap`); " +
        "on Ubuntu 24.04 unprivileged user namespaces are restricted by AppArmor: run as root or see docs/grading.md; " +
        "to grade without isolation anyway pass --no-sandbox";

    /// <summary>Size of the private <c>/tmp</c> and <c>notebooks/</c> folders (each).</summary>
    public const long TmpfsBytes = 1L << 30;

    /// <summary>The <c>bwrap</c> program on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(dir, "bwrap");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Null when a sandbox can be made here (it tries one), else why not.</summary>
    public static string? Probe(string bwrap)
    {
        var psi = new ProcessStartInfo(bwrap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "/bin/true" })
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(20_000)) { p.Kill(true); return "bwrap did not finish a trivial sandbox within 20 s"; }
            return p.ExitCode == 0 ? null : $"bwrap failed to create a sandbox (exit {p.ExitCode}): {err.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e) { return $"bwrap could not be started: {e.Message}"; }
    }

    /// <summary>The bwrap arguments (up to and including <c>--</c>) that run a command in <paramref name="sandbox"/>
    /// with exactly <paramref name="environment"/>.</summary>
    /// <param name="sandbox">The layout to mount.</param>
    /// <param name="environment">The worker's whole environment.</param>
    /// <param name="systemPaths">Host paths bound read-only at the same place (the .NET runtime, the NuGet cache).</param>
    public static List<string> Arguments(GradeSandbox sandbox, IReadOnlyDictionary<string, string> environment, IEnumerable<string> systemPaths)
    {
        var a = new List<string> { "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--hostname", "grader" };
        foreach (var dir in new[] { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys" })
        {
            var info = new DirectoryInfo(dir);
            if (!info.Exists) continue;
            if (info.LinkTarget is { } target) a.AddRange(["--symlink", target, dir]);
            else a.AddRange(["--ro-bind", dir, dir]);
        }
        a.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        foreach (var p in systemPaths.Where(p => Directory.Exists(p) || File.Exists(p)).Distinct())
            if (!IsUnder(p, "/usr") && !IsUnder(p, "/etc")) a.AddRange(["--ro-bind", p, p]);
        a.AddRange(["--size", TmpfsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/tmp", "--dir", "/tmp/home"]);
        a.AddRange(["--size", TmpfsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", Path.GetDirectoryName(sandbox.NotebookPath)!]);
        a.AddRange(["--ro-bind", sandbox.HostNotebook, sandbox.NotebookPath]);
        foreach (var m in sandbox.Mounts) a.AddRange(["--ro-bind", m.Host, m.Inside]);
        a.AddRange(["--remount-ro", "/"]);
        foreach (var (k, v) in environment.OrderBy(x => x.Key, StringComparer.Ordinal)) a.AddRange(["--setenv", k, v]);
        a.AddRange(["--chdir", Path.GetDirectoryName(sandbox.NotebookPath)!, "--"]);
        return a;
    }

    static bool IsUnder(string path, string dir) => path == dir || path.StartsWith(dir + "/", StringComparison.Ordinal);
}
