using System.Diagnostics;
using Xunit;

// Tests share global state (torch threads and seeds, .NET Interactive formatters, the working directory):
// run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SslCourse.Tests;

/// <summary>Paths and helpers shared by the tests.</summary>
public static class Repo
{
    /// <summary>The repository root (the folder holding SslCourse.sln).</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "SslCourse.sln"))) return dir;
        throw new InvalidOperationException("SslCourse.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>A fresh temporary folder, removed by the OS's temp cleaning (tests do not rely on it being empty later).</summary>
    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ssl-course-tests", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>Runs the <c>ssl-course</c> command line (built beside the tests) in a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run(workingDirectory, timeout, null, args);

    public static Result Run(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? env, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ssl-course.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"ssl-course {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
