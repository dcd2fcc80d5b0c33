using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace SslCourse.Notebooks;

/// <summary>How a notebook is executed.</summary>
public sealed record RunOptions
{
    /// <summary>Wall-time limit of one cell.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Wall-time limit of the whole notebook.</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Stop at the first failing cell (later cells are marked skipped) instead of running on.</summary>
    public bool StopOnError { get; init; } = true;

    /// <summary>Environment variables set for the duration of the run (e.g. the course budget).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Working directory of the kernel; defaults to the notebook's folder, so relative <c>#r</c> paths work.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Told when each cell starts and ends.</summary>
    public IProgress<CellProgress>? Progress { get; init; }
}

/// <summary>A cell starting (<see cref="Result"/> null) or finished.</summary>
public sealed record CellProgress(string Notebook, int CellNumber, int CodeCellCount, int CodeCellOrdinal, string FirstLine, CellResult? Result);

/// <summary>Outcome of one cell.</summary>
public enum CellStatus { Passed, Failed, TimedOut, Skipped }

/// <summary>The outcome of one code cell.</summary>
/// <param name="Number">One-based cell number in the notebook (markdown cells count).</param>
/// <param name="Id">The cell's nbformat id, when it has one.</param>
/// <param name="FirstLine">First non-empty source line.</param>
/// <param name="Status">Passed, failed, timed out or skipped.</param>
/// <param name="Error">The error message (failed or timed out), else null.</param>
/// <param name="Elapsed">Wall time of the cell.</param>
/// <param name="Outputs">The nbformat outputs written for the cell.</param>
/// <param name="ReturnValues">Live objects returned by the cell (for graders that check objects, not HTML).</param>
public sealed record CellResult(int Number, string? Id, string FirstLine, CellStatus Status, string? Error, TimeSpan Elapsed,
    JsonArray Outputs, IReadOnlyList<object?> ReturnValues);

/// <summary>The outcome of a notebook run.</summary>
public sealed record NotebookResult(string Path, NotebookDocument Executed, IReadOnlyList<CellResult> Cells, TimeSpan Elapsed, string? Error = null)
{
    /// <summary>True when every code cell passed.</summary>
    public bool Passed => Error == null && Cells.All(c => c.Status == CellStatus.Passed);

    /// <summary>The first cell that failed or timed out, if any.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => c.Status is CellStatus.Failed or CellStatus.TimedOut);

    /// <summary>True when a cell was abandoned after its time limit (its thread may still run: end the process soon).</summary>
    public bool AbandonedWork => Cells.Any(c => c.Status == CellStatus.TimedOut);
}

/// <summary>
/// Executes the C# cells of a notebook, in order, in a fresh in-process .NET Interactive kernel, and returns an
/// executed copy with nbformat outputs. A cell past its time limit is cancelled and reported; as .NET cannot stop a
/// thread that ignores cancellation, a caller that needs a hard stop (the grader) runs this in a child process.
/// </summary>
public static class NotebookRunner
{
    static readonly SemaphoreSlim OneAtATime = new(1, 1); // the working directory and environment are process-wide

    /// <summary>Reads and runs the notebook at <paramref name="path"/>.</summary>
    public static Task<NotebookResult> RunAsync(string path, RunOptions? options = null, CancellationToken cancel = default) =>
        RunAsync(NotebookDocument.Load(path), options, cancel);

    /// <summary>Runs <paramref name="notebook"/> (not modified) and returns the executed copy.</summary>
    public static async Task<NotebookResult> RunAsync(NotebookDocument notebook, RunOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new RunOptions();
        await OneAtATime.WaitAsync(cancel);
        var oldDir = Directory.GetCurrentDirectory();
        var oldEnv = options.Environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            var dir = options.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(notebook.Path));
            if (dir != null && Directory.Exists(dir)) Directory.SetCurrentDirectory(dir);
            foreach (var (k, v) in options.Environment) Environment.SetEnvironmentVariable(k, v);
            return await RunCoreAsync(notebook, options, cancel);
        }
        finally
        {
            Directory.SetCurrentDirectory(oldDir);
            foreach (var (k, v) in oldEnv) Environment.SetEnvironmentVariable(k, v);
            OneAtATime.Release();
        }
    }

    /// <summary>A fresh kernel: C# with <c>#r "nuget:..."</c> support, inside a composite kernel.</summary>
    public static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((_, _) => Task.CompletedTask, forceRestore: false)
            .UseKernelHelpers()
            .UseValueSharing()
            .UseWho();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite;
    }

    static async Task<NotebookResult> RunCoreAsync(NotebookDocument source, RunOptions options, CancellationToken cancel)
    {
        var doc = source.Clone();
        doc.ClearOutputs();
        var name = Path.GetFileName(doc.Path);
        var results = new List<CellResult>();
        var total = Stopwatch.StartNew();
        using var kernel = CreateKernel();
        var codeCells = doc.Cells.Where(c => c.IsCode).ToList();
        int executionCount = 0;
        bool stop = false;
        string? notebookError = null;

        for (int ordinal = 0; ordinal < codeCells.Count; ordinal++)
        {
            var cell = codeCells[ordinal];
            var language = cell.KernelName ?? doc.DefaultKernel;
            if (stop || (language != "csharp" && language != "C#"))
            {
                var skipped = new CellResult(cell.Number, cell.Id, cell.FirstLine, CellStatus.Skipped,
                    stop ? null : $"kernel '{language}' is not run by this engine", TimeSpan.Zero, new JsonArray(), []);
                results.Add(skipped);
                continue;
            }
            options.Progress?.Report(new CellProgress(name, cell.Number, codeCells.Count, ordinal + 1, cell.FirstLine, null));
            var remaining = options.NotebookTimeout - total.Elapsed;
            var limit = remaining < options.CellTimeout ? remaining : options.CellTimeout;
            var result = await RunCellAsync(kernel, cell, ++executionCount, limit, remaining < options.CellTimeout, cancel);
            results.Add(result);
            options.Progress?.Report(new CellProgress(name, cell.Number, codeCells.Count, ordinal + 1, cell.FirstLine, result));
            if (result.Status == CellStatus.TimedOut)
            {
                stop = true; // the kernel may still be busy with the abandoned cell
                if (total.Elapsed >= options.NotebookTimeout) notebookError = $"notebook time limit of {options.NotebookTimeout.TotalSeconds:0} s reached";
            }
            else if (result.Status == CellStatus.Failed && options.StopOnError) stop = true;
        }
        return new NotebookResult(doc.Path, doc, results, total.Elapsed, notebookError);
    }

    static async Task<CellResult> RunCellAsync(Kernel kernel, NotebookCell cell, int executionCount, TimeSpan limit, bool notebookLimit, CancellationToken cancel)
    {
        var outputs = new OutputCollector(executionCount);
        var watch = Stopwatch.StartNew();
        using var subscription = kernel.KernelEvents.Subscribe(new Observer(outputs.Add));
        var submit = new SubmitCode(cell.Source, "csharp");
        var run = kernel.SendAsync(submit, CancellationToken.None);
        if (limit <= TimeSpan.Zero) limit = TimeSpan.FromMilliseconds(1);
        var finished = await Task.WhenAny(run, Task.Delay(limit, cancel));
        string? error = null;
        var status = CellStatus.Passed;
        if (finished != run)
        {
            try { _ = kernel.SendAsync(new Cancel()); } catch { /* the kernel is abandoned anyway */ }
            status = CellStatus.TimedOut;
            error = cancel.IsCancellationRequested ? "run cancelled"
                : $"cell ran past its {(notebookLimit ? "notebook" : "cell")} time limit of {limit.TotalSeconds:0.#} s and was stopped";
            outputs.AddError("TimeoutError", error);
        }
        else
        {
            var commandResult = await run;
            var failed = commandResult.Events.OfType<CommandFailed>().FirstOrDefault();
            if (failed != null)
            {
                status = CellStatus.Failed;
                error = ErrorMessage(failed);
            }
        }
        cell.Json["execution_count"] = executionCount;
        var array = outputs.ToJson();
        cell.Json["outputs"] = array;
        return new CellResult(cell.Number, cell.Id, cell.FirstLine, status, error, watch.Elapsed, (JsonArray)array.DeepClone(), outputs.ReturnValues);
    }

    static string ErrorMessage(CommandFailed failed)
    {
        var message = failed.Exception?.Message ?? failed.Message ?? "cell failed";
        if (failed.Exception != null && !message.StartsWith(failed.Exception.GetType().Name, StringComparison.Ordinal))
            message = $"{failed.Exception.GetType().Name}: {message}";
        return message.Trim();
    }

    sealed class Observer(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(KernelEvent value) => onNext(value);
    }

    /// <summary>Turns kernel events into nbformat outputs, merging stream text and applying display updates in place.</summary>
    sealed class OutputCollector(int executionCount)
    {
        readonly List<JsonObject> _outputs = [];
        readonly Dictionary<string, JsonObject> _byValueId = [];
        readonly object _gate = new();
        public List<object?> ReturnValues { get; } = [];

        public void Add(KernelEvent e)
        {
            lock (_gate)
            {
                switch (e)
                {
                    case StandardOutputValueProduced o: Stream("stdout", Text(o.FormattedValues)); break;
                    case StandardErrorValueProduced o: Stream("stderr", Text(o.FormattedValues)); break;
                    case ReturnValueProduced r:
                        ReturnValues.Add(r.Value);
                        if (r.FormattedValues.Count > 0)
                            _outputs.Add(new JsonObject { ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = Data(r.FormattedValues), ["metadata"] = new JsonObject() });
                        break;
                    case DisplayedValueUpdated u when u.ValueId != null && _byValueId.TryGetValue(u.ValueId, out var existing):
                        existing["data"] = Data(u.FormattedValues);
                        break;
                    case DisplayEvent d when d is DisplayedValueProduced or DisplayedValueUpdated:
                        var output = new JsonObject { ["output_type"] = "display_data", ["data"] = Data(d.FormattedValues), ["metadata"] = new JsonObject() };
                        _outputs.Add(output);
                        if (d.ValueId != null) _byValueId[d.ValueId] = output;
                        break;
                    case CommandFailed f:
                        AddError(f.Exception?.GetType().Name ?? "Error", ErrorMessage(f));
                        break;
                }
            }
        }

        public void AddError(string name, string message)
        {
            lock (_gate)
                _outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = name, ["evalue"] = message, ["traceback"] = new JsonArray(message) });
        }

        static string Text(IReadOnlyCollection<FormattedValue> values) =>
            values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";

        void Stream(string name, string text)
        {
            if (text.Length == 0) return;
            if (_outputs.Count > 0 && _outputs[^1]["output_type"]?.GetValue<string>() == "stream" && _outputs[^1]["name"]?.GetValue<string>() == name)
            {
                var last = _outputs[^1];
                last["text"] = last["text"]!.GetValue<string>() + text;
                return;
            }
            _outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
        }

        static JsonObject Data(IReadOnlyCollection<FormattedValue> values)
        {
            var data = new JsonObject();
            foreach (var v in values)
                if (!data.ContainsKey(v.MimeType)) data[v.MimeType] = IsJson(v.MimeType) ? JsonValueOrText(v.Value) : v.Value;
            return data;
        }

        // nbformat stores JSON MIME types (application/json, */*+json) as JSON, not as a string.
        static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

        static JsonNode? JsonValueOrText(string value)
        {
            try { return JsonNode.Parse(value); }
            catch (System.Text.Json.JsonException) { return value; }
        }

        public JsonArray ToJson()
        {
            lock (_gate)
            {
                var array = new JsonArray();
                foreach (var o in _outputs)
                {
                    var copy = (JsonObject)o.DeepClone();
                    if (copy["text"] is JsonValue t) copy["text"] = NotebookCell.SourceArray(t.GetValue<string>());
                    array.Add(copy);
                }
                return array;
            }
        }
    }
}
