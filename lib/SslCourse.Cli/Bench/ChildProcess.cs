using System.Diagnostics;

namespace SslCourse.Cli.Bench;

/// <summary>Runs a command and reports its wall time and peak resident memory (Linux: VmHWM polled from /proc).</summary>
public static class ChildProcess
{
    public sealed record Outcome(int ExitCode, TimeSpan Elapsed, long? PeakRssBytes, string Output);

    public static Outcome Run(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        long? peak = null;
        var limit = timeout ?? TimeSpan.FromHours(1);
        while (!p.WaitForExit(200))
        {
            peak = Math.Max(peak ?? 0, ReadHighWaterMark(p.Id) ?? 0);
            if (watch.Elapsed > limit)
            {
                p.Kill(entireProcessTree: true);
                break;
            }
        }
        p.WaitForExit();
        lock (output) return new Outcome(p.HasExited ? p.ExitCode : -1, watch.Elapsed, peak is > 0 ? peak : null, output.ToString());
    }

    static long? ReadHighWaterMark(int pid) => SslCourse.Notebooks.ProcStatus.Bytes(pid, "VmHWM");
}
