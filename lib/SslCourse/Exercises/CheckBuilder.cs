using System.Globalization;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Exercises;

/// <summary>
/// The parts of one exercise's check (made by <see cref="Check.Exercise"/>). Each part compares what the student's
/// delegate returns with a reference; <see cref="Done"/> runs the parts in order and stops at the first failure.
/// Every exception of a student delegate is caught and reported; none reaches the notebook.
/// </summary>
public sealed class CheckBuilder
{
    readonly string _exercise;
    readonly List<(string What, Func<string?> Run)> _parts = [];
    readonly List<string?> _hints = [];
    readonly List<string> _forbidden = [];
    bool _vectorised;

    internal CheckBuilder(string exercise) => _exercise = exercise;

    /// <summary>Student tensor vs reference: shape, then dtype, then <c>|a - b| &lt;= atol + rtol·|b|</c> everywhere
    /// (NaN only where the reference is NaN). A failure reports the largest absolute and relative error and where.</summary>
    /// <param name="what">What is computed, e.g. "loss for 8 pairs at temperature 0.5".</param>
    /// <param name="student">Calls the student's function.</param>
    /// <param name="reference">Calls the library's reference.</param>
    /// <param name="rtol">Relative tolerance (≥ 0).</param>
    /// <param name="atol">Absolute tolerance (≥ 0).</param>
    /// <param name="hint">One sentence shown after a failure.</param>
    public CheckBuilder Tensor(string what, Func<Tensor> student, Func<Tensor> reference, double rtol = 1e-4, double atol = 1e-6, string? hint = null)
    {
        Validate(what, student, reference);
        Tolerances(rtol, atol);
        int index = _parts.Count;
        return Add(what, hint, () =>
        {
            if (!Call(reference, out var r, out var rError)) return ReferenceFailed(rError!);
            if (r is null) return "the reference returned null (instructor error).";
            bool studentOk = Call(student, out var s, out var sError);
            Evidence(index, "tensor", rtol, atol, studentOk && s is not null ? TensorValue(s) : null, TensorValue(r), studentOk ? (s is null ? "returned null" : null) : sError);
            if (!studentOk) return sError;
            if (s is null) return $"expected a tensor of shape {Shape(r)}, got null.";
            return CompareTensors(s, r, rtol, atol);
        });
    }

    /// <summary>Student scalar vs an expected value: <c>|a - e| &lt;= atol + rtol·|e|</c>.</summary>
    public CheckBuilder Scalar(string what, Func<double> student, double expected, double rtol = 1e-4, double atol = 1e-8, string? hint = null)
    {
        Validate(what, student, expected);
        Tolerances(rtol, atol);
        int index = _parts.Count;
        return Add(what, hint, () =>
        {
            bool ok = Call(student, out var s, out var error);
            Evidence(index, "scalar", rtol, atol, ok ? new EvidenceValue([], "float64", [s]) : null, new EvidenceValue([], "float64", [expected]), error);
            if (!ok) return error;
            if (double.IsNaN(s) && double.IsNaN(expected)) return null;
            if (s == expected) return null; // also equal infinities
            double diff = Math.Abs(s - expected);
            if (diff <= atol + rtol * Math.Abs(expected)) return null;
            return $"expected {Num(expected)}, got {Num(s)} (absolute error {Num(diff)}, tolerance {Num(atol + rtol * Math.Abs(expected))}).";
        });
    }

    /// <summary>Student sequence vs the expected items, compared in order with <see cref="EqualityComparer{T}.Default"/>.</summary>
    public CheckBuilder Sequence<T>(string what, Func<IEnumerable<T>> student, IEnumerable<T> expected, string? hint = null)
    {
        Validate(what, student, expected);
        var want = expected.ToList();
        int index = _parts.Count;
        return Add(what, hint, () =>
        {
            bool ok = Call(() => student()?.ToList(), out var got, out var error);
            Evidence(index, "sequence", 0, 0, ok && got is not null ? new EvidenceValue(Items: got.Select(Item).ToArray()) : null,
                new EvidenceValue(Items: want.Select(Item).ToArray()), ok ? (got is null ? "returned null" : null) : error);
            if (!ok) return error;
            if (got is null) return $"expected {List(want)}, got null.";
            var eq = EqualityComparer<T>.Default;
            for (int i = 0; i < Math.Min(got.Count, want.Count); i++)
                if (!eq.Equals(got[i], want[i]))
                    return $"expected {List(want)}, got {List(got)} (first difference at index {i}: expected {Item(want[i])}, got {Item(got[i])}).";
            if (got.Count != want.Count)
                return $"expected {want.Count} items {List(want)}, got {got.Count} items {List(got)}.";
            return null;
        });
    }

    /// <summary>A condition that must hold; <paramref name="failure"/> says what was expected when it does not.</summary>
    public CheckBuilder True(string what, Func<bool> condition, string failure, string? hint = null)
    {
        Validate(what, condition, failure);
        int index = _parts.Count;
        return Add(what, hint, () =>
        {
            bool called = Call(condition, out var ok, out var error);
            Evidence(index, "true", 0, 0, called ? new EvidenceValue(Truth: ok) : null, null, error);
            if (!called) return error;
            return ok ? null : failure.TrimEnd('.') + ".";
        });
    }

    /// <summary>Calls <paramref name="step"/> <paramref name="steps"/> times (each call trains one step and returns
    /// the loss); passes when every loss is finite and the mean of the last quarter is below the first loss.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 2.</exception>
    public CheckBuilder Decreases(string what, Func<double> step, int steps, string? hint = null)
    {
        Validate(what, step, steps);
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps = {steps}: expected at least 2 training steps.");
        int index = _parts.Count;
        return Add(what, hint, () =>
        {
            var losses = new List<double>(steps);
            var failure = Train(step, steps, losses, out bool threw);
            Evidence(index, "decreases", 0, 0, threw ? null : new EvidenceValue([losses.Count], "float64", losses.ToArray()), null, threw ? failure : null);
            return failure;
        });
    }

    /// <summary>Calls <paramref name="step"/> up to <paramref name="steps"/> times, collecting the losses (up to the
    /// first that is not finite); null when they pass <see cref="TrainingRules.LossFailure"/>, else what went wrong
    /// (<paramref name="threw"/>: the step itself failed).</summary>
    static string? Train(Func<double> step, int steps, List<double> losses, out bool threw)
    {
        threw = false;
        for (int i = 0; i < steps; i++)
        {
            if (!Call(step, out var loss, out var error)) { threw = true; return $"at step {i + 1} of {steps}: {error}"; }
            losses.Add(loss);
            if (!double.IsFinite(loss)) return $"expected a finite loss, got {Num(loss)} at step {i + 1} of {steps}.";
        }
        return TrainingRules.LossFailure(losses);
    }

    /// <summary>An assemble-and-train part: scores <paramref name="randomScores"/> (the same model freshly initialised
    /// with a few seeds, before any training; the first seed is the one trained), then calls <paramref name="step"/>
    /// <paramref name="steps"/> times (one training step each, returning the loss), then <paramref name="score"/> (the
    /// trained model's score, e.g. held-out accuracy, higher is better). Passes when every loss is finite, the mean of
    /// the last quarter is below the first loss, and the score beats the best random score by more than the spread of
    /// the random scores (max - min) and at least <paramref name="minMargin"/>. Deterministic when the caller seeds.
    /// A grader decides it from the losses and the score against the random scores of its own reference run.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 2 or the margin is negative.</exception>
    public CheckBuilder Learns(string what, Func<IReadOnlyList<double>> randomScores, Func<double> step, int steps, Func<double> score, double minMargin = 0.05, string? hint = null)
    {
        Validate(what, step, score);
        ArgumentNullException.ThrowIfNull(randomScores);
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps = {steps}: expected at least 2 training steps.");
        if (!(minMargin >= 0)) throw new ArgumentOutOfRangeException(nameof(minMargin), minMargin, $"minMargin = {minMargin}: expected a margin ≥ 0.");
        int index = _parts.Count;
        return Add(what, hint, () =>
        {
            string? Report(string? failure, EvidenceValue? student, EvidenceValue? reference, string? error)
            {
                Evidence(index, "learns", 0, minMargin, student, reference, error);
                return failure;
            }
            if (!Call(randomScores, out var random, out var rError)) return Report(ReferenceFailed(rError!), null, null, ReferenceFailed(rError!));
            if (random is not { Count: > 0 } || random.Any(r => !double.IsFinite(r)))
                return Report("the random baseline gave no finite score (instructor error).", null, null, "the random baseline gave no finite score (instructor error).");
            var baseline = new EvidenceValue([random.Count], "float64", random.ToArray());
            var losses = new List<double>(steps);
            var failure = Train(step, steps, losses, out bool threw);
            if (threw) return Report(failure, null, baseline, failure);
            if (failure != null) return Report(failure, new EvidenceValue([losses.Count], "float64", losses.ToArray()), baseline, null);
            if (!Call(score, out var trained, out var sError))
                return Report($"after training, scoring the model failed: {sError}", null, baseline, $"after training, scoring the model failed: {sError}");
            Report(null, new EvidenceValue([losses.Count], "float64", losses.ToArray(), Score: trained), baseline, null);
            double first = losses[0], last = TrainingRules.LastQuarter(losses).Mean;
            var (best, margin) = TrainingRules.LearnsBar(random, minMargin);
            return trained > best + margin ? null
                : $"after {steps} steps (loss {Num(first)} -> {Num(last)}) the trained model scores {Num(trained)}, but random initialisations score up to " +
                  $"{Num(best)} ({string.Join(", ", random.Select(Num))}); it must beat them by more than {Num(margin)}.";
        });
    }

    /// <summary>Declares the exercise's reference(s): namespaces, types or members (fully qualified, without
    /// <c>global::</c>) the solution may not use. <see cref="Done"/> reads the solution with <see cref="SolutionAnalyzer"/>
    /// and fails with "your solution calls X, the reference implementation: write it yourself" when it binds to one
    /// (through an alias, <c>using static</c>, a qualified name or a helper alike). <c>ssl-course grade</c> reads the
    /// same list from the check cell's source, so write the names as string literals.</summary>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    public CheckBuilder Forbid(params string[] symbols)
    {
        foreach (var s in symbols)
        {
            if (string.IsNullOrWhiteSpace(s)) throw new ArgumentException("a forbidden symbol is empty; expected e.g. \"SslCourse.Losses.NtXent\".", nameof(symbols));
            _forbidden.Add(s.Trim().Replace("global::", ""));
        }
        return this;
    }

    /// <summary>Declares the exercise vectorised: its solution may not loop (for, foreach, while, do, goto, LINQ,
    /// Parallel, recursion, nor call a helper that does), checked by <see cref="SolutionAnalyzer"/> on the syntax.</summary>
    public CheckBuilder Vectorised()
    {
        _vectorised = true;
        return this;
    }

    /// <summary>Runs the parts in order and returns the check's result (the check cell's value). Never throws.
    /// First of all the solution itself is read (<see cref="SslCourse.Display.KernelSolution"/>): a solution that uses its reference or
    /// the deny-list of <see cref="SolutionAnalyzer"/> fails before any part runs.</summary>
    public CheckResult Done()
    {
        if (_parts.Count == 0) return new CheckResult(_exercise, false, $"✗ {_exercise}: this check has no parts (instructor error).");
        string? violation;
        try { violation = SslCourse.Display.KernelSolution.Analyze(_exercise, new SolutionRules(_forbidden, _vectorised)); }
        catch (Exception e) { violation = $"the solution could not be analysed ({Describe(e)})."; }
        if (violation != null)
        {
            // A grader collecting evidence still gets every part: it decides outside the sandbox, with its own analysis.
            if (CheckEvidence.Sink != null)
                foreach (var (_, run) in _parts)
                {
                    try { run(); }
                    catch (Exception) { /* reported through the evidence of the part, or its absence */ }
                }
            return new CheckResult(_exercise, false, $"✗ {_exercise}: {violation}");
        }
        CheckResult? first = null;
        foreach (var (what, run) in _parts)
        {
            string? failure;
            try { failure = run(); }
            catch (Exception e) { failure = $"the check itself failed ({Describe(e)})."; }
            if (failure == null || first != null) continue;
            first = new CheckResult(_exercise, false, $"✗ {_exercise}: {what}: {failure}");
            if (CheckEvidence.Sink == null) break; // a grader collecting evidence needs every part
        }
        if (first != null) return first;
        return new CheckResult(_exercise, true, _parts.Count == 1 ? $"✓ {_exercise}: the check passed" : $"✓ {_exercise}: all {_parts.Count} checks passed");
    }

    CheckBuilder Add(string what, string? hint, Func<string?> run)
    {
        _hints.Add(string.IsNullOrWhiteSpace(hint) ? null : hint.Trim());
        _parts.Add((what.Trim(), () =>
        {
            var failure = run();
            return failure == null || string.IsNullOrWhiteSpace(hint) ? failure : $"{failure} Hint: {hint.Trim()}";
        }));
        return this;
    }

    /// <summary>Reports one part to <see cref="CheckEvidence.Sink"/> when a grader collects evidence.</summary>
    void Evidence(int part, string kind, double rtol, double atol, EvidenceValue? student, EvidenceValue? reference, string? error)
    {
        if (CheckEvidence.Sink is not { } sink) return;
        sink(new CheckEvidence(_exercise, part, _parts[part].What, kind, rtol, atol, student, reference, error, _hints[part]));
    }

    /// <summary>A tensor as plain data (null when it cannot be read, e.g. disposed).</summary>
    static EvidenceValue? TensorValue(Tensor t)
    {
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var values = t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            return new EvidenceValue(t.shape, Name(t.dtype), values);
        }
        catch (Exception) { return null; }
    }

    static void Validate(string what, object? a, object? b)
    {
        if (string.IsNullOrWhiteSpace(what)) throw new ArgumentException($"what = '{what}': describe what the part checks.", nameof(what));
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
    }

    static void Tolerances(double rtol, double atol)
    {
        if (!(rtol >= 0)) throw new ArgumentOutOfRangeException(nameof(rtol), rtol, $"rtol = {rtol}: expected a tolerance ≥ 0.");
        if (!(atol >= 0)) throw new ArgumentOutOfRangeException(nameof(atol), atol, $"atol = {atol}: expected a tolerance ≥ 0.");
    }

    /// <summary>Calls a student delegate; false with the message when it throws.</summary>
    static bool Call<T>(Func<T> f, out T value, out string? error)
    {
        try
        {
            value = f();
            error = null;
            return true;
        }
        catch (Exception e)
        {
            value = default!;
            var inner = Unwrap(e);
            error = inner is NotImplementedException ? Check.NotImplementedText + "." : $"your code threw {Describe(inner)}.";
            return false;
        }
    }

    static string ReferenceFailed(string error) => "the reference failed (instructor error): " + error.Replace("your code threw", "it threw");

    static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TargetInvocationException { InnerException: { } i }: e = i; continue;
                case TypeInitializationException { InnerException: { } i }: e = i; continue;
                case AggregateException a when a.InnerExceptions.Count == 1: e = a.InnerExceptions[0]; continue;
                default: return e;
            }
        }
    }

    static string Describe(Exception e)
    {
        var message = e.Message.Split('\n')[0].Trim();
        if (message.Length > 200) message = message[..199] + "…";
        return $"{e.GetType().Name}: {message}";
    }

    static string? CompareTensors(Tensor s, Tensor r, double rtol, double atol)
    {
        long[] sShape, rShape;
        try { sShape = s.shape; }
        catch (Exception e) { return $"expected a tensor of shape {Shape(r)}, got a tensor that cannot be read ({Describe(Unwrap(e))}); was it disposed?"; }
        rShape = r.shape;
        if (!sShape.SequenceEqual(rShape)) return $"expected a tensor of shape {Shape(rShape)}, got {Shape(sShape)}.";
        if (s.dtype != r.dtype) return $"expected dtype {Name(r.dtype)}, got {Name(s.dtype)} (shape {Shape(sShape)} is right).";
        if (r.numel() == 0) return null;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = s.detach().cpu().to_type(ScalarType.Float64);
        var b = r.detach().cpu().to_type(ScalarType.Float64);
        var same = a.eq(b).logical_or(a.isnan().logical_and(b.isnan()));
        var diff = (a - b).abs().masked_fill(same, 0.0).nan_to_num(nan: double.PositiveInfinity);
        var bad = diff.gt(b.abs() * rtol + atol);
        long count = bad.sum().item<long>();
        if (count == 0) return null;
        long flat = diff.flatten().argmax().item<long>();
        double maxAbs = diff.flatten()[flat].item<double>();
        double rel = (diff / b.abs().clamp_min(1e-12)).masked_fill(same, 0.0).nan_to_num(nan: double.PositiveInfinity).max().item<double>();
        double got = a.flatten()[flat].item<double>(), want = b.flatten()[flat].item<double>();
        return $"{count} of {r.numel()} values differ: the largest absolute error is {Num(maxAbs)} at {Index(flat, rShape)} " +
               $"(expected {Num(want)}, got {Num(got)}); largest relative error {Num(rel)} (tolerance {Num(atol)} + {Num(rtol)}·|expected|).";
    }

    static string Index(long flat, long[] shape)
    {
        if (shape.Length == 0) return "the scalar";
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return "index [" + string.Join(", ", index) + "]";
    }

    static string Shape(Tensor t) => Shape(t.shape);
    static string Shape(long[] shape) => shape.Length == 0 ? "[] (scalar)" : "[" + string.Join(", ", shape) + "]";
    static string Name(ScalarType t) => t.ToString().ToLowerInvariant();
    static string Num(double v) => TrainingRules.Num(v);

    static string Item<T>(T item) => item switch
    {
        null => "null",
        string s => $"\"{s}\"",
        double d => Num(d),
        float f => Num(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => item.ToString() ?? "null",
    };

    static string List<T>(IReadOnlyList<T> items) =>
        "[" + string.Join(", ", items.Take(10).Select(Item)) + (items.Count > 10 ? $", … ({items.Count} items)" : "") + "]";
}
