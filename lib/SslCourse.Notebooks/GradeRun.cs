using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SslCourse.Notebooks;

/// <summary>What one run of the worker reported and how it ended.</summary>
public sealed class WorkerOutcome
{
    /// <summary>The check cells' records by cell number (feedback: the grade comes from <see cref="Evidence"/>).</summary>
    public Dictionary<int, GradeRecord> Checks { get; } = [];
    /// <summary>Evidence by check cell number, then part index (the last one reported for each part).</summary>
    public Dictionary<int, Dictionary<int, PartEvidence>> Evidence { get; } = [];
    /// <summary>Code cells that did not pass.</summary>
    public List<CellProblem> FailedCells { get; } = [];
    /// <summary>Warnings for the report (e.g. a <c>#r</c> that was not found).</summary>
    public List<string> Warnings { get; } = [];
    /// <summary>The last cell that started.</summary>
    public int LastStarted { get; set; }
    /// <summary>The first line of <see cref="LastStarted"/>.</summary>
    public string LastStartedLine { get; set; } = "";
    /// <summary>The notebook ran to its end.</summary>
    public bool Done { get; set; }
    /// <summary>Why the run was stopped, or null.</summary>
    public string? Stopped { get; set; }
    /// <summary>Why checks were not reached, in words.</summary>
    public string StopDescription => Stopped == null
        ? "the notebook ended before this check ran"
        : LastStarted > 0 ? $"the notebook stopped at cell {LastStarted} (`{LastStartedLine}`): {Stopped}" : $"the notebook stopped before its first cell: {Stopped}";
}

/// <summary>
/// Runs the grading worker on one assembled notebook: in a fresh <see cref="GradeSandbox"/> (bubblewrap unless
/// <see cref="GradeOptions.Sandboxed"/> is off), in a fresh <see cref="GradeCgroup"/> where the machine allows one,
/// with a cleared environment and wall-time limits per cell and per notebook; the memory of every process of the
/// sandbox is limited by the cgroup and also polled here. When the run ends, every process it started is killed.
/// </summary>
public static class GradeRun
{
    static readonly TimeSpan CellGrace = TimeSpan.FromSeconds(15), NotebookGrace = TimeSpan.FromSeconds(30);
    static int _warnedNoCgroup;

    /// <summary>Runs <paramref name="notebook"/>; <paramref name="searchDirs"/> resolve its relative <c>#r</c> folders.</summary>
    public static async Task<WorkerOutcome> RunAsync(NotebookDocument notebook, IReadOnlyList<string> searchDirs, GradeOptions options, TextWriter? log)
    {
        var outcome = new WorkerOutcome();
        using var sandbox = new GradeSandbox(notebook, searchDirs, options.AppDir, options.Sandboxed, options.Mounts);
        outcome.Warnings.AddRange(sandbox.Warnings);
        string? noCgroup = null;
        using var cgroup = options.Sandboxed ? GradeCgroup.TryCreate(options.MemoryLimitBytes, options.MaxTasks, out noCgroup) : null;
        if (options.Sandboxed && cgroup == null && Interlocked.Exchange(ref _warnedNoCgroup, 1) == 0)
            Console.Error.WriteLine($"ssl-course grade: warning: no cgroup for the sandboxes ({noCgroup}): memory is limited by polling only and there is no process-count limit (run as root for both; see docs/grading.md).");
        var psi = StartInfo(sandbox, cgroup, options);
        using var release = new ManualResetEventSlim();
        using var process = StartOnOwnThread(psi, release);
        try
        {
            return await WatchAsync(process, outcome, cgroup, options, log);
        }
        finally
        {
            release.Set();
        }
    }

    /// <summary>Starts the process from a thread that lives until <paramref name="release"/> is set: bubblewrap's
    /// <c>--die-with-parent</c> (the kernel's parent-death signal) fires when the thread that started it ends, and a
    /// thread-pool thread may end while the sandbox still runs.</summary>
    static Process StartOnOwnThread(ProcessStartInfo psi, ManualResetEventSlim release)
    {
        Process? process = null;
        Exception? error = null;
        using var started = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try { process = Process.Start(psi); }
            catch (Exception e) { error = e; }
            started.Set();
            release.Wait();
        }) { IsBackground = true, Name = "grade-worker-parent" };
        thread.Start();
        started.Wait();
        if (error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return process ?? throw new InvalidOperationException($"could not start {psi.FileName}");
    }

    static async Task<WorkerOutcome> WatchAsync(Process process, WorkerOutcome outcome, GradeCgroup? cgroup, GradeOptions options, TextWriter? log)
    {
        var watch = Stopwatch.StartNew();
        var cellWatch = Stopwatch.StartNew();
        process.StandardInput.Close();
        var gate = new object();
        var stderrTail = new StringBuilder();
        var stdoutTask = ReadLinesAsync(process.StandardOutput.BaseStream, GradeChannel.MaxLine, line =>
        {
            var r = GradeChannel.Parse(line);
            if (r == null) return;
            lock (gate) Take(outcome, r, cellWatch);
        });
        var stderrTask = ReadLinesAsync(process.StandardError.BaseStream, 65536, line =>
        {
            lock (stderrTail)
            {
                stderrTail.AppendLine(line.Length > 300 ? line[..300] : line);
                if (stderrTail.Length > 4000) stderrTail.Remove(0, stderrTail.Length - 4000);
            }
        });

        string? stopped = null;
        while (!process.HasExited)
        {
            await Task.Delay(100);
            if (process.HasExited) break;
            long rss = ProcStatus.TreeRss(process.Id);
            bool cellRunning;
            TimeSpan cellElapsed;
            lock (gate) { cellRunning = outcome.LastStarted > 0 && !outcome.Done; cellElapsed = cellWatch.Elapsed; }
            if (rss > options.MemoryLimitBytes || cgroup?.OutOfMemory == true)
                stopped = MemoryMessage(options);
            else if (cellRunning && cellElapsed > options.CellTimeout + CellGrace)
                stopped = $"the cell ran past its time limit of {options.CellTimeout.TotalSeconds:0} s and was stopped";
            else if (watch.Elapsed > options.NotebookTimeout + NotebookGrace)
                stopped = $"the notebook ran past its time limit of {options.NotebookTimeout.TotalSeconds:0} s and was stopped";
            if (stopped != null) break;
        }
        // Whatever happened, nothing the submission started outlives its grading.
        if (!process.HasExited && stopped == null) process.WaitForExit(10_000);
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        cgroup?.KillAll();
        process.WaitForExit(10_000);
        await Task.WhenAny(Task.WhenAll(stdoutTask, stderrTask), Task.Delay(5000));
        if (stopped == null && cgroup?.OutOfMemory == true) stopped = MemoryMessage(options);
        if (stopped == null && cgroup?.TaskLimitHit == true && !outcome.Done)
            stopped = $"the sandbox reached its limit of {options.MaxTasks} processes and threads";
        lock (gate)
        {
            if (stopped == null && !outcome.Done)
            {
                int code = process.HasExited ? process.ExitCode : -1;
                stopped = $"the process exited with code {code} before this check ran";
                var lastErr = stderrTail.ToString().Trim().Split('\n').LastOrDefault()?.Trim();
                if (outcome.LastStarted == 0 && !string.IsNullOrEmpty(lastErr)) stopped += $" ({lastErr})";
            }
            else if (stopped == null)
            {
                // A cell timed out inside the worker: the worker stops running cells after that.
                var timedOut = outcome.FailedCells.FirstOrDefault(c => c.Status == nameof(CellStatus.TimedOut));
                if (timedOut != null) { stopped = timedOut.Error ?? "a cell ran past its time limit"; outcome.LastStarted = timedOut.Cell; outcome.LastStartedLine = timedOut.FirstLine; }
            }
            outcome.Stopped = stopped;
        }
        if (stopped != null) log?.WriteLine($"  worker: {outcome.StopDescription}");
        return outcome;
    }

    static string MemoryMessage(GradeOptions options) => $"the process used more than {options.MemoryLimitBytes >> 20} MB of memory and was stopped";

    static void Take(WorkerOutcome outcome, GradeRecord r, Stopwatch cellWatch)
    {
        switch (r.Kind)
        {
            case "start": outcome.LastStarted = r.Cell; outcome.LastStartedLine = r.FirstLine ?? ""; cellWatch.Restart(); break;
            case "evidence" when r.Evidence != null:
                if (!outcome.Evidence.TryGetValue(r.Cell, out var parts)) outcome.Evidence[r.Cell] = parts = [];
                if (parts.Count < 1000) parts[r.Evidence.Part] = r.Evidence;
                break;
            case "check": outcome.Checks[r.Cell] = r; goto case "cell";
            case "cell":
                if (r.Status is not (nameof(CellStatus.Passed) or nameof(CellStatus.Skipped)) && outcome.FailedCells.Count < 1000)
                    outcome.FailedCells.Add(new CellProblem(r.Cell, r.FirstLine ?? "", r.Status ?? "", r.Error));
                break;
            case "done": outcome.Done = true; break;
        }
    }

    /// <summary>The worker's start: <c>sh</c> joining the cgroup, then <c>bwrap</c>, then the worker command; or the
    /// worker command alone without a sandbox.</summary>
    static ProcessStartInfo StartInfo(GradeSandbox sandbox, GradeCgroup? cgroup, GradeOptions options)
    {
        var worker = new List<string>();
        foreach (var a in options.WorkerCommand)
            worker.Add(sandbox.AppDir != null ? a.Replace(GradeOptions.AppDirToken, sandbox.AppDir) : a);
        worker.AddRange([sandbox.NotebookPath, "--cell-timeout", Seconds(options.CellTimeout), "--timeout", Seconds(options.NotebookTimeout), "--result-type", options.ResultType]);
        var env = WorkerEnvironment(sandbox, options);

        var command = new List<string>();
        if (cgroup != null) command.AddRange(["/bin/sh", "-c", GradeCgroup.JoinScript, "sh", .. cgroup.ProcsFiles, "--"]);
        if (options.Sandboxed)
        {
            command.Add(options.Bwrap ?? throw new InvalidOperationException("GradeOptions.Bwrap is required with a sandbox."));
            command.AddRange(Bubblewrap.Arguments(sandbox, env, options.SystemPaths));
        }
        command.AddRange(worker);
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = options.Sandboxed ? sandbox.Root : Path.GetDirectoryName(sandbox.NotebookPath)!,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        if (options.Sandboxed) psi.Environment["PATH"] = "/usr/bin:/bin"; // bwrap sets the worker's own environment
        else foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The worker's whole environment: nothing of the grader's but the runtime's and the course's own settings.</summary>
    static Dictionary<string, string> WorkerEnvironment(GradeSandbox sandbox, GradeOptions options)
    {
        var env = new Dictionary<string, string>();
        foreach (var k in new[] { "SSL_COURSE_THREADS", "SSL_COURSE_DEVICE", "SSL_COURSE_BACKEND", "LANG", "LC_ALL" })
            if (Environment.GetEnvironmentVariable(k) is { Length: > 0 } v) env[k] = v;
        if (options.Sandboxed)
        {
            var dotnetDir = Path.GetDirectoryName(options.WorkerCommand[0]) is { Length: > 0 } d ? d : "/usr/bin";
            env["PATH"] = $"{dotnetDir}:/usr/local/bin:/usr/bin:/bin";
            env["HOME"] = "/tmp/home";
            env["DOTNET_CLI_HOME"] = "/tmp/home";
            env["XDG_CACHE_HOME"] = "/tmp/home/.cache";
            if (options.DotnetRoot != null) env["DOTNET_ROOT"] = options.DotnetRoot;
            if (options.NuGetPackages != null) env["NUGET_PACKAGES"] = options.NuGetPackages;
        }
        else
        {
            foreach (var k in new[] { "PATH", "HOME", "DOTNET_ROOT", "DOTNET_ROOT_X64", "NUGET_PACKAGES", "DOTNET_CLI_HOME", "XDG_CACHE_HOME", "SSL_COURSE_CACHE" })
                if (Environment.GetEnvironmentVariable(k) is { Length: > 0 } v) env[k] = v;
        }
        foreach (var m in options.Mounts.Where(m => m.EnvironmentVariable != null))
            env[m.EnvironmentVariable!] = options.Sandboxed ? m.Inside : m.Host;
        env["TMPDIR"] = sandbox.TempDir;
        env["SSL_COURSE_BUDGET"] = options.Budget;
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_gcServer"] = "0";
        return env;
    }

    /// <summary>Reads lines from a stream without ever holding more than <paramref name="max"/> bytes of one line
    /// (longer lines are dropped).</summary>
    static async Task ReadLinesAsync(Stream stream, int max, Action<string> onLine)
    {
        var buffer = new byte[65536];
        var line = new MemoryStream();
        bool overflow = false;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                int start = 0;
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    if (!overflow) line.Write(buffer, start, i - start);
                    if (!overflow) onLine(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r'));
                    line.SetLength(0);
                    overflow = false;
                    start = i + 1;
                }
                if (!overflow) line.Write(buffer, start, n - start);
                if (line.Length > max) { overflow = true; line.SetLength(0); }
            }
            if (line.Length > 0 && !overflow) onLine(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }
}
