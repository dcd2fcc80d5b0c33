using System.Diagnostics;
using System.Text;

namespace SslCourse.Notebooks;

/// <summary>How submissions are graded.</summary>
public sealed record GradeOptions
{
    /// <summary>Wall-time limit of one cell.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Wall-time limit of one notebook.</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Memory limit of the worker process tree (resident set), in bytes.</summary>
    public long MemoryLimitBytes { get; init; } = 4L << 30;
    /// <summary>The budget passed as SSL_COURSE_BUDGET.</summary>
    public string Budget { get; init; } = "smoke";
    /// <summary>The worker's command: program, then arguments before the notebook path (e.g. dotnet, ssl-course.dll, grade-worker).
    /// An argument equal to <see cref="AppDirToken"/>-prefixed path is rewritten into the sandbox's copy of <see cref="AppDir"/>.</summary>
    public required IReadOnlyList<string> WorkerCommand { get; init; }
    /// <summary>Folder of the worker program, copied (hard links) into each sandbox so a submission cannot damage it.</summary>
    public string? AppDir { get; init; }
    /// <summary>Full name of the check-result type (properties Exercise, Passed, Message).</summary>
    public required string ResultType { get; init; }
    /// <summary>Reads each solution before it runs (see <see cref="SolutionVerdicts"/>); a rejected solution scores 0
    /// with the analysis's message, whatever its check reports.</summary>
    public SolutionCheck? SolutionCheck { get; init; }
    /// <summary>Placeholder for the sandbox's copy of <see cref="AppDir"/> in <see cref="WorkerCommand"/>.</summary>
    public const string AppDirToken = "{app}";
}

/// <summary>The grade of one exercise.</summary>
public sealed record ExerciseGrade(string Exercise, int Points, int Max, bool Passed, string Message);

/// <summary>A code cell that did not pass while grading (for the instructor and the every-notebook tests).</summary>
public sealed record CellProblem(int Cell, string FirstLine, string Status, string? Error);

/// <summary>The grade of one submission.</summary>
public sealed record SubmissionGrade(
    string Submission, string Student, string Notebook, string? Source,
    IReadOnlyList<ExerciseGrade> Exercises, IReadOnlyList<string> Notes, IReadOnlyList<CellProblem> FailedCells,
    bool Completed, string? Stopped, double ElapsedSeconds, string? Rejected)
{
    /// <summary>The written questions (scored by hand: see <see cref="ManualScores"/>).</summary>
    public IReadOnlyList<QuestionGrade> Questions { get; init; } = [];
    /// <summary>Points earned (exercises, plus the written questions scored so far).</summary>
    public int Score => Exercises.Sum(e => e.Points) + Questions.Sum(q => q.Points ?? 0);
    /// <summary>Points available (exercises and written questions).</summary>
    public int Max => Exercises.Sum(e => e.Max) + Questions.Sum(q => q.Max);
    /// <summary>Written questions still waiting for the instructor's score.</summary>
    public int Pending => Questions.Count(q => q.Points == null);
}

/// <summary>
/// Grades submissions: assembles each with its source (<see cref="GradeAssembly"/>), runs it in a child process
/// in a fresh <see cref="GradeSandbox"/> with a cleared environment, wall-time limits per cell and per notebook and a
/// memory limit (all enforced here, by killing the process tree), and scores from the signed check records only.
/// When a run is stopped inside an exercise (endless loop, memory, exit), that exercise scores 0 and the notebook is
/// run again with it stubbed out, so the other exercises are still graded.
/// </summary>
public static class Grader
{
    static readonly TimeSpan CellGrace = TimeSpan.FromSeconds(15), NotebookGrace = TimeSpan.FromSeconds(30);

    /// <summary>Grades one submission against its (already matched) source.</summary>
    public static async Task<SubmissionGrade> GradeAsync(NotebookDocument submission, NotebookDocument source, string student, GradeOptions options, TextWriter? log = null)
    {
        var watch = Stopwatch.StartNew();
        var disabled = new Dictionary<string, string>(); // exercise -> why it was stopped
        var notebook = Path.GetFileNameWithoutExtension(source.Path);
        while (true)
        {
            var assembled = GradeAssembly.Assemble(source, submission, disabled.Keys.ToHashSet());
            var analysisNotes = new List<string>();
            var verdicts = SolutionVerdicts.Of(assembled, submission, options.SolutionCheck, Path.GetDirectoryName(Path.GetFullPath(source.Path))!, analysisNotes);
            var outcome = await RunWorkerAsync(assembled.Notebook, [Path.GetDirectoryName(Path.GetFullPath(source.Path))!, Path.GetDirectoryName(Path.GetFullPath(submission.Path))!], options, log);
            var grades = Score(assembled, outcome, disabled, verdicts);
            var culprit = outcome.Stopped != null ? ExerciseAt(assembled, outcome.LastStarted) : null;
            // Run again only when checks of other exercises were lost with it.
            bool unreached = culprit != null && grades.Any(g => g.Exercise != culprit.Id && !g.Passed && g.Message.Contains("was not reached", StringComparison.Ordinal));
            if (culprit != null && unreached && !disabled.ContainsKey(culprit.Id) && !assembled.Missing.Contains(culprit.Id))
            {
                disabled[culprit.Id] = outcome.Stopped!;
                log?.WriteLine($"  run stopped in exercise '{culprit.Id}' ({outcome.Stopped}); running again with it stubbed out");
                continue;
            }
            var notes = assembled.Notes.Concat(analysisNotes).Concat(outcome.Warnings).ToList();
            return new SubmissionGrade(submission.Path, student, notebook, source.Path, grades, notes, outcome.FailedCells,
                outcome.Done, outcome.Stopped, watch.Elapsed.TotalSeconds, null) { Questions = ManualScores.Collect(source, submission) };
        }
    }

    /// <summary>The exercise whose exercise or check cell has number <paramref name="cell"/>.</summary>
    static Exercise? ExerciseAt(AssembledNotebook a, int cell) =>
        a.Exercises.FirstOrDefault(e => e.Cell.Number == cell || e.CheckCell?.Number == cell);

    static List<ExerciseGrade> Score(AssembledNotebook a, WorkerOutcome outcome, IReadOnlyDictionary<string, string> disabled, IReadOnlyDictionary<string, string> verdicts)
    {
        var grades = new List<ExerciseGrade>();
        foreach (var e in a.Exercises)
        {
            ExerciseGrade Fail(string message) => new(e.Id, 0, e.Points, false, $"✗ {e.Id}: {message}");
            if (a.Missing.Contains(e.Id)) { grades.Add(Fail("the submission has no exercise cell for it (deleted, or its header and metadata changed); 0 points.")); continue; }
            if (verdicts.TryGetValue(e.Id, out var verdict)) { grades.Add(Fail(verdict)); continue; }
            if (disabled.TryGetValue(e.Id, out var why)) { grades.Add(Fail($"grading was stopped inside this exercise: {why}.")); continue; }
            var record = e.CheckCell == null ? null : outcome.Checks.GetValueOrDefault(e.CheckCell.Number);
            if (record == null)
            {
                grades.Add(Fail($"the check was not reached: {outcome.StopDescription}."));
                continue;
            }
            if (record.HasResult)
            {
                var message = record.Message ?? "";
                grades.Add(record.Passed ? new ExerciseGrade(e.Id, e.Points, e.Points, true, message) : new ExerciseGrade(e.Id, 0, e.Points, false, message));
                continue;
            }
            grades.Add(record.Status switch
            {
                nameof(CellStatus.TimedOut) => Fail($"the check ran past its time limit ({record.Error}); does your code end?"),
                nameof(CellStatus.Failed) => Fail($"the check could not run: {record.Error} (is the signature of your function still the stub's?)"),
                nameof(CellStatus.Skipped) => Fail($"the check was not reached: {outcome.StopDescription}."),
                _ => Fail("the check cell returned no check result."),
            });
        }
        return grades;
    }

    sealed class WorkerOutcome
    {
        public Dictionary<int, GradeRecord> Checks { get; } = [];
        public List<CellProblem> FailedCells { get; } = [];
        public List<string> Warnings { get; } = [];
        public int LastStarted { get; set; }
        public string LastStartedLine { get; set; } = "";
        public bool Done { get; set; }
        public string? Stopped { get; set; }
        public string StopDescription => Stopped == null
            ? "the notebook ended before this check ran"
            : LastStarted > 0 ? $"the notebook stopped at cell {LastStarted} (`{LastStartedLine}`): {Stopped}" : $"the notebook stopped before its first cell: {Stopped}";
    }

    static async Task<WorkerOutcome> RunWorkerAsync(NotebookDocument notebook, IReadOnlyList<string> searchDirs, GradeOptions options, TextWriter? log)
    {
        var outcome = new WorkerOutcome();
        using var sandbox = new GradeSandbox(notebook, searchDirs, options.AppDir);
        outcome.Warnings.AddRange(sandbox.Warnings);
        var psi = new ProcessStartInfo(options.WorkerCommand[0])
        {
            WorkingDirectory = Path.GetDirectoryName(sandbox.NotebookPath)!,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in options.WorkerCommand.Skip(1))
            psi.ArgumentList.Add(sandbox.AppDir != null ? a.Replace(GradeOptions.AppDirToken, sandbox.AppDir) : a);
        psi.ArgumentList.Add(sandbox.NotebookPath);
        psi.ArgumentList.Add("--cell-timeout");
        psi.ArgumentList.Add(options.CellTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--timeout");
        psi.ArgumentList.Add(options.NotebookTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--result-type");
        psi.ArgumentList.Add(options.ResultType);
        SetEnvironment(psi, sandbox, options);

        var key = GradeChannel.NewKey();
        var reader = new GradeChannel.Reader(key);
        var watch = Stopwatch.StartNew();
        var cellWatch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        var gate = new object();
        var stderrTail = new StringBuilder();
        var stdoutTask = ReadLinesAsync(process.StandardOutput.BaseStream, line =>
        {
            var r = reader.Parse(line);
            if (r == null) return;
            lock (gate)
            {
                switch (r.Kind)
                {
                    case "start": outcome.LastStarted = r.Cell; outcome.LastStartedLine = r.FirstLine ?? ""; cellWatch.Restart(); break;
                    case "check": outcome.Checks[r.Cell] = r; goto case "cell";
                    case "cell":
                        if (r.Status is not (nameof(CellStatus.Passed) or nameof(CellStatus.Skipped)))
                            outcome.FailedCells.Add(new CellProblem(r.Cell, r.FirstLine ?? "", r.Status ?? "", r.Error));
                        break;
                    case "done": outcome.Done = true; break;
                }
            }
        });
        var stderrTask = ReadLinesAsync(process.StandardError.BaseStream, line =>
        {
            lock (stderrTail)
            {
                stderrTail.AppendLine(line.Length > 300 ? line[..300] : line);
                if (stderrTail.Length > 4000) stderrTail.Remove(0, stderrTail.Length - 4000);
            }
        });
        try
        {
            await process.StandardInput.WriteLineAsync(Convert.ToHexString(key));
            await process.StandardInput.FlushAsync();
            process.StandardInput.Close();
        }
        catch (IOException) { /* the worker died at once; reported below */ }

        string? stopped = null;
        while (!process.HasExited)
        {
            await Task.Delay(100);
            if (process.HasExited) break;
            long rss = TreeRss(process.Id);
            bool cellRunning;
            TimeSpan cellElapsed;
            lock (gate) { cellRunning = outcome.LastStarted > 0 && !outcome.Done; cellElapsed = cellWatch.Elapsed; }
            if (rss > options.MemoryLimitBytes)
                stopped = $"the process used more than {options.MemoryLimitBytes >> 20} MB of memory and was stopped";
            else if (cellRunning && cellElapsed > options.CellTimeout + CellGrace)
                stopped = $"the cell ran past its time limit of {options.CellTimeout.TotalSeconds:0} s and was stopped";
            else if (watch.Elapsed > options.NotebookTimeout + NotebookGrace)
                stopped = $"the notebook ran past its time limit of {options.NotebookTimeout.TotalSeconds:0} s and was stopped";
            if (stopped != null)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                break;
            }
        }
        if (!process.WaitForExit(10_000)) { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
        await Task.WhenAny(Task.WhenAll(stdoutTask, stderrTask), Task.Delay(5000));
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

    static void SetEnvironment(ProcessStartInfo psi, GradeSandbox sandbox, GradeOptions options)
    {
        var keep = new[] { "PATH", "HOME", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_HOST_PATH", "NUGET_PACKAGES", "DOTNET_CLI_HOME",
            "XDG_CACHE_HOME", "SSL_COURSE_CACHE", "SSL_COURSE_THREADS", "SSL_COURSE_DEVICE", "LANG", "LC_ALL" };
        var saved = keep.Select(k => (k, v: Environment.GetEnvironmentVariable(k))).Where(x => !string.IsNullOrEmpty(x.v)).ToList();
        psi.Environment.Clear();
        foreach (var (k, v) in saved) psi.Environment[k] = v;
        psi.Environment["TMPDIR"] = sandbox.TempDir;
        psi.Environment["SSL_COURSE_BUDGET"] = options.Budget;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_gcServer"] = "0";
        // Memory is limited by the parent polling the resident set of the process tree (managed and native alike).
    }

    /// <summary>Reads lines from a stream without ever holding more than 64 KiB of one line (longer lines are cut).</summary>
    static async Task ReadLinesAsync(Stream stream, Action<string> onLine)
    {
        var buffer = new byte[16384];
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
                    onLine(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r'));
                    line.SetLength(0);
                    overflow = false;
                    start = i + 1;
                }
                if (!overflow) line.Write(buffer, start, n - start);
                if (line.Length > 65536) { overflow = true; line.SetLength(0); }
            }
            if (line.Length > 0 && !overflow) onLine(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Resident memory of a process and all its descendants (Linux /proc), in bytes; 0 elsewhere.</summary>
    static long TreeRss(int pid)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        long total = 0;
        var stack = new Stack<int>();
        stack.Push(pid);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            if (!seen.Add(p)) continue;
            try
            {
                total += ProcStatus.Bytes(p, "VmRSS") ?? 0;
                foreach (var task in Directory.EnumerateDirectories($"/proc/{p}/task"))
                {
                    var children = File.ReadAllText(Path.Combine(task, "children"));
                    foreach (var c in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (int.TryParse(c, out var child)) stack.Push(child);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }
}
