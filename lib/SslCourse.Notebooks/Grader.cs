using System.Diagnostics;

namespace SslCourse.Notebooks;

/// <summary>How submissions are graded.</summary>
public sealed record GradeOptions
{
    /// <summary>Wall-time limit of one cell.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Wall-time limit of one notebook.</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Memory limit of the whole sandbox (every process in it), in bytes.</summary>
    public long MemoryLimitBytes { get; init; } = 4L << 30;
    /// <summary>Limit on the processes and threads of the sandbox (where a cgroup can be made).</summary>
    public int MaxTasks { get; init; } = 2048;
    /// <summary>The budget passed as SSL_COURSE_BUDGET.</summary>
    public string Budget { get; init; } = "smoke";
    /// <summary>The worker's command: program, then arguments before the notebook path (e.g. dotnet, ssl-course.dll, grade-worker).
    /// <see cref="AppDirToken"/> in an argument is replaced by the path of <see cref="AppDir"/> the worker sees.</summary>
    public required IReadOnlyList<string> WorkerCommand { get; init; }
    /// <summary>Folder of the worker program (mounted read-only in the sandbox).</summary>
    public string? AppDir { get; init; }
    /// <summary>Full name of the check-result type (properties Exercise, Passed, Message).</summary>
    public required string ResultType { get; init; }
    /// <summary>Run each worker in a bubblewrap sandbox (<see cref="Bwrap"/>); off only with <c>--no-sandbox</c>.</summary>
    public bool Sandboxed { get; init; } = true;
    /// <summary>The <c>bwrap</c> program.</summary>
    public string? Bwrap { get; init; }
    /// <summary>Host paths the worker needs at the same place, read-only (the .NET runtime, the NuGet cache).</summary>
    public IReadOnlyList<string> SystemPaths { get; init; } = [];
    /// <summary>The .NET runtime folder, for DOTNET_ROOT in the sandbox.</summary>
    public string? DotnetRoot { get; init; }
    /// <summary>The NuGet package folder, for NUGET_PACKAGES in the sandbox.</summary>
    public string? NuGetPackages { get; init; }
    /// <summary>Further read-only paths (e.g. the verified native-library cache).</summary>
    public IReadOnlyList<SandboxMount> Mounts { get; init; } = [];
    /// <summary>Reads each solution before it runs (see <see cref="SolutionVerdicts"/>); a rejected solution scores 0
    /// with the analysis's message, whatever its check reports.</summary>
    public SolutionCheck? SolutionCheck { get; init; }
    /// <summary>Placeholder for the worker's view of <see cref="AppDir"/> in <see cref="WorkerCommand"/>.</summary>
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

/// <summary>The grader's own evidence for one source notebook: every check part's kind, tolerances and reference
/// value, by check cell number, from a run of the source with no student code in it.</summary>
/// <param name="Parts">Check cell number → parts in order.</param>
/// <param name="Problem">Why the reference run did not reach every check (an instructor error), or null.</param>
/// <param name="Notebook">The JSON of the notebook the reference run ran.</param>
/// <param name="Outcome">The reference run itself (a submission that assembles to exactly <paramref name="Notebook"/>
/// has the same outcome, and is not run again).</param>
public sealed record GradeReferences(IReadOnlyDictionary<int, IReadOnlyList<PartEvidence>> Parts, string? Problem, string Notebook, WorkerOutcome Outcome);

/// <summary>
/// Grades submissions: assembles each with its source (<see cref="GradeAssembly"/>), runs it with
/// <see cref="GradeRun"/> (one sandbox per run) and scores each exercise with <see cref="GradeVerdict"/>: the
/// student's values reported from the sandbox against the references of the grader's own run of the source
/// (<see cref="ReferencesAsync"/>). When a run is stopped inside an exercise (endless loop, memory, exit), that
/// exercise scores 0 and the notebook is run again with it stubbed out, so the other exercises are still graded.
/// </summary>
public static class Grader
{
    /// <summary>Runs the source notebook (outputs cleared, no student code) and keeps every check part's reference.</summary>
    public static async Task<GradeReferences> ReferencesAsync(NotebookDocument source, GradeOptions options, TextWriter? log = null)
    {
        var doc = source.Clone();
        doc.ClearOutputs();
        var dir = Path.GetDirectoryName(Path.GetFullPath(source.Path))!;
        var outcome = await GradeRun.RunAsync(doc, [dir], options, log);
        var parts = new Dictionary<int, IReadOnlyList<PartEvidence>>();
        foreach (var (cell, byPart) in outcome.Evidence)
            parts[cell] = byPart.Values.OrderBy(p => p.Part).ToList();
        var checks = doc.Cells.Where(c => ExerciseFormat.CheckId(c) != null).Select(c => c.Number).ToList();
        var missing = checks.Where(c => !parts.ContainsKey(c)).ToList();
        string? problem = missing.Count == 0 ? null
            : $"the grader's run of the source {Path.GetFileName(source.Path)} reported no check parts for cell(s) {string.Join(", ", missing)}" +
              (outcome.Stopped != null ? $" ({outcome.StopDescription})" : outcome.FailedCells.FirstOrDefault(f => missing.Contains(f.Cell)) is { } f ? $" (cell {f.Cell}: {f.Error})" : "");
        if (problem != null) log?.WriteLine($"  reference run: {problem}");
        return new GradeReferences(parts, problem, doc.ToJson(), outcome);
    }

    /// <summary>Grades one submission against its (already matched) source, with references computed here.</summary>
    public static async Task<SubmissionGrade> GradeAsync(NotebookDocument submission, NotebookDocument source, string student, GradeOptions options, TextWriter? log = null) =>
        await GradeAsync(submission, source, await ReferencesAsync(source, options, log), student, options, log);

    /// <summary>Grades one submission against its (already matched) source and that source's references.</summary>
    public static async Task<SubmissionGrade> GradeAsync(NotebookDocument submission, NotebookDocument source, GradeReferences references, string student, GradeOptions options, TextWriter? log = null)
    {
        var watch = Stopwatch.StartNew();
        var disabled = new Dictionary<string, string>(); // exercise -> why it was stopped
        var notebook = Path.GetFileNameWithoutExtension(source.Path);
        while (true)
        {
            var assembled = GradeAssembly.Assemble(source, submission, disabled.Keys.ToHashSet());
            var analysisNotes = new List<string>();
            var verdicts = SolutionVerdicts.Of(assembled, submission, options.SolutionCheck, Path.GetDirectoryName(Path.GetFullPath(source.Path))!, analysisNotes);
            // The instructor's own code (e.g. the source graded as a submission) runs exactly as in the reference run.
            var outcome = disabled.Count == 0 && assembled.Notebook.ToJson() == references.Notebook ? references.Outcome
                : await GradeRun.RunAsync(assembled.Notebook, [Path.GetDirectoryName(Path.GetFullPath(source.Path))!, Path.GetDirectoryName(Path.GetFullPath(submission.Path))!], options, log);
            var grades = Score(assembled, outcome, references, disabled, verdicts);
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

    static List<ExerciseGrade> Score(AssembledNotebook a, WorkerOutcome outcome, GradeReferences references, IReadOnlyDictionary<string, string> disabled, IReadOnlyDictionary<string, string> verdicts)
    {
        var grades = new List<ExerciseGrade>();
        foreach (var e in a.Exercises)
        {
            ExerciseGrade Fail(string message) => new(e.Id, 0, e.Points, false, $"✗ {e.Id}: {message}");
            if (a.Missing.Contains(e.Id)) { grades.Add(Fail("the submission has no exercise cell for it (deleted, or its header and metadata changed); 0 points.")); continue; }
            if (verdicts.TryGetValue(e.Id, out var verdict)) { grades.Add(Fail(verdict)); continue; }
            if (disabled.TryGetValue(e.Id, out var why)) { grades.Add(Fail($"grading was stopped inside this exercise: {why}.")); continue; }
            if (e.CheckCell == null || !references.Parts.TryGetValue(e.CheckCell.Number, out var refs) || refs.Count == 0)
            {
                grades.Add(Fail($"the grader has no reference for this check (instructor error: {references.Problem ?? "no check cell"})."));
                continue;
            }
            var record = outcome.Checks.GetValueOrDefault(e.CheckCell.Number);
            var evidence = outcome.Evidence.GetValueOrDefault(e.CheckCell.Number);
            if (evidence != null && evidence.Count > 0)
            {
                var failure = GradeVerdict.Failure(refs, evidence);
                // The check's own message is kept where it agrees with the verdict (it is richer); the points come from the verdict.
                bool agrees = record is { HasResult: true } && record.Passed == (failure == null) && record.Check == e.Id;
                grades.Add(failure == null
                    ? new ExerciseGrade(e.Id, e.Points, e.Points, true, agrees ? record!.Message ?? "" : $"✓ {e.Id}: all {refs.Count} checks passed")
                    : new ExerciseGrade(e.Id, 0, e.Points, false, agrees ? record!.Message ?? "" : $"✗ {e.Id}: {failure}"));
                continue;
            }
            if (record == null)
            {
                grades.Add(Fail($"the check was not reached: {outcome.StopDescription}."));
                continue;
            }
            grades.Add(record.Status switch
            {
                nameof(CellStatus.TimedOut) => Fail($"the check ran past its time limit ({record.Error}); does your code end?"),
                nameof(CellStatus.Failed) => Fail($"the check could not run: {record.Error} (is the signature of your function still the stub's?)"),
                nameof(CellStatus.Skipped) => Fail($"the check was not reached: {outcome.StopDescription}."),
                _ => Fail("the check reported no values (did your code change how checks report?)."),
            });
        }
        return grades;
    }
}
