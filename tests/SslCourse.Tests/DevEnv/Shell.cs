using System.Diagnostics;

namespace SslCourse.Tests.DevEnv;

/// <summary>Runs a command in a child process and collects its output (for scripts and <c>dotnet run</c>).</summary>
public static class Shell
{
    public static CliProcess.Result Run(string workingDirectory, TimeSpan timeout, IDictionary<string, string?>? env, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null)
            foreach (var (k, v) in env)
                if (v == null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s; output so far: {stdout.Result}{stderr.Result}");
        }
        return new CliProcess.Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
