namespace SslCourse.Notebooks;

/// <summary>Settings of the grading worker (the child process that runs one assembled notebook).</summary>
/// <param name="CellTimeout">Wall-time limit of one cell.</param>
/// <param name="NotebookTimeout">Wall-time limit of the notebook.</param>
/// <param name="ResultType">Full name of the type check cells return (read by its properties Exercise, Passed, Message).</param>
/// <param name="AttachEvidence">Connects the check library's evidence sink: called once with the function that
/// reports one part's evidence (an object whose JSON has the shape of <see cref="PartEvidence"/>).</param>
public sealed record WorkerSettings(TimeSpan CellTimeout, TimeSpan NotebookTimeout, string ResultType, Action<Action<object>>? AttachEvidence = null);

/// <summary>
/// The child side of grading, run inside the sandbox: runs the assembled notebook (keeping going after failed cells)
/// and reports on <see cref="GradeChannel"/> every cell start, every finished cell, every check result (feedback) and
/// the evidence of every check part (what the student's code returned), from which the grader decides outside.
/// </summary>
public static class GradeWorker
{
    /// <summary>Runs the worker; returns when the notebook is done (the caller should then exit the process at once,
    /// as an abandoned cell may still be running).</summary>
    public static async Task RunAsync(string notebookPath, WorkerSettings settings)
    {
        var writer = new GradeChannel.Writer(Console.OpenStandardOutput());
        // Everything else printed to stdout outside the kernel's capture goes to stderr, keeping the channel clean.
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        Console.SetOut(stderr);

        var doc = NotebookDocument.Load(notebookPath);
        var checks = doc.Cells.Where(c => ExerciseFormat.CheckId(c) != null).ToDictionary(c => c.Number, c => ExerciseFormat.CheckId(c)!);
        var progress = new Reporter(writer, checks, settings.ResultType);
        settings.AttachEvidence?.Invoke(e => writer.Write(new GradeRecord("evidence", progress.Current,
            Evidence: System.Text.Json.JsonSerializer.Deserialize<PartEvidence>(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), GradeChannel.Json), GradeChannel.Json))));
        var options = new RunOptions
        {
            CellTimeout = settings.CellTimeout,
            NotebookTimeout = settings.NotebookTimeout,
            StopOnError = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(notebookPath)),
            Progress = progress,
        };
        var result = await NotebookRunner.RunAsync(doc, options);
        writer.Write(new GradeRecord("done", Error: result.Error));
    }

    sealed class Reporter(GradeChannel.Writer writer, IReadOnlyDictionary<int, string> checks, string resultType) : IProgress<CellProgress>
    {
        /// <summary>The cell running now.</summary>
        public int Current { get; private set; }

        public void Report(CellProgress p)
        {
            if (p.Result == null)
            {
                Current = p.CellNumber;
                writer.Write(new GradeRecord("start", p.CellNumber, p.FirstLine));
                return;
            }
            var r = p.Result;
            if (!checks.TryGetValue(r.Number, out var id))
            {
                writer.Write(new GradeRecord("cell", r.Number, r.FirstLine, r.Status.ToString(), r.Error));
                return;
            }
            var found = ReadResult(r.ReturnValues, resultType);
            writer.Write(new GradeRecord("check", r.Number, r.FirstLine, r.Status.ToString(), r.Error, id,
                found != null, found?.Passed == true && found.Value.Exercise == id, found?.Message));
        }
    }

    /// <summary>The last return value of the expected type (loaded from a file, not defined by notebook code),
    /// read by its properties.</summary>
    public static (string Exercise, bool Passed, string Message)? ReadResult(IReadOnlyList<object?> values, string typeName)
    {
        for (int i = values.Count - 1; i >= 0; i--)
        {
            var v = values[i];
            var t = v?.GetType();
            if (t == null || t.FullName != typeName || t.Assembly.IsDynamic || string.IsNullOrEmpty(t.Assembly.Location)) continue;
            var exercise = t.GetProperty("Exercise")?.GetValue(v) as string;
            var passed = t.GetProperty("Passed")?.GetValue(v) as bool?;
            var message = t.GetProperty("Message")?.GetValue(v) as string;
            if (exercise != null && passed != null && message != null) return (exercise, passed.Value, message);
        }
        return null;
    }
}
