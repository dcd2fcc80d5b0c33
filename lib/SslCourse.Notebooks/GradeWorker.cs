namespace SslCourse.Notebooks;

/// <summary>Settings of the grading worker (the child process that runs one assembled notebook).</summary>
/// <param name="CellTimeout">Wall-time limit of one cell.</param>
/// <param name="NotebookTimeout">Wall-time limit of the notebook.</param>
/// <param name="ResultType">Full name of the type check cells return (read by its properties Exercise, Passed, Message).</param>
public sealed record WorkerSettings(TimeSpan CellTimeout, TimeSpan NotebookTimeout, string ResultType);

/// <summary>
/// The child side of grading: reads the channel key from standard input, then runs the assembled notebook (keeping
/// going after failed cells) and reports every cell start, every finished cell and every check result on the signed
/// channel. Check results are read from the live return value of each check cell, never from printed text.
/// </summary>
public static class GradeWorker
{
    /// <summary>Runs the worker; returns when the notebook is done (the caller should then exit the process at once,
    /// as an abandoned cell may still be running).</summary>
    public static async Task RunAsync(string notebookPath, WorkerSettings settings)
    {
        // The key comes first, before any notebook code exists in this process; stdin is then at its end.
        var keyLine = Console.In.ReadLine() ?? throw new InvalidOperationException("grade-worker: no key on standard input.");
        var writer = new GradeChannel.Writer(Convert.FromHexString(keyLine.Trim()), Console.OpenStandardOutput());
        // Everything else printed to stdout outside the kernel's capture goes to stderr, keeping the channel clean.
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        Console.SetOut(stderr);

        var doc = NotebookDocument.Load(notebookPath);
        var checks = doc.Cells.Where(c => ExerciseFormat.CheckId(c) != null).ToDictionary(c => c.Number, c => ExerciseFormat.CheckId(c)!);
        var progress = new Reporter(writer, checks, settings.ResultType);
        var options = new RunOptions
        {
            CellTimeout = settings.CellTimeout,
            NotebookTimeout = settings.NotebookTimeout,
            StopOnError = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(notebookPath)),
            Progress = progress,
        };
        var result = await NotebookRunner.RunAsync(doc, options);
        writer.Write(new GradeRecord(0, "done", Error: result.Error));
    }

    sealed class Reporter(GradeChannel.Writer writer, IReadOnlyDictionary<int, string> checks, string resultType) : IProgress<CellProgress>
    {
        public void Report(CellProgress p)
        {
            if (p.Result == null)
            {
                writer.Write(new GradeRecord(0, "start", p.CellNumber, p.FirstLine));
                return;
            }
            var r = p.Result;
            if (!checks.TryGetValue(r.Number, out var id))
            {
                writer.Write(new GradeRecord(0, "cell", r.Number, r.FirstLine, r.Status.ToString(), r.Error));
                return;
            }
            var found = ReadResult(r.ReturnValues, resultType);
            writer.Write(new GradeRecord(0, "check", r.Number, r.FirstLine, r.Status.ToString(), r.Error, id,
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
