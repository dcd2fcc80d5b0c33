using SslCourse.Exercises;

namespace SslCourse.Notebooks;

/// <summary>
/// Decides a check outside the sandbox: the student's values (from the worker's evidence, which the student's code
/// could have written itself) against the references of the grader's own run of the source notebook, with that
/// run's kinds and tolerances. Forged evidence can therefore only pass by carrying the correct answers.
/// </summary>
public static class GradeVerdict
{
    /// <summary>The verdict of one check: null when every part passes, else the first failing part's message
    /// (<c>what: why</c>).</summary>
    /// <param name="references">The parts of the check from the reference run, in order.</param>
    /// <param name="student">The student run's evidence by part index (the last one reported for each part).</param>
    public static string? Failure(IReadOnlyList<PartEvidence> references, IReadOnlyDictionary<int, PartEvidence> student)
    {
        foreach (var r in references)
        {
            var why = PartFailure(r, student.GetValueOrDefault(r.Part));
            if (why != null) return $"{r.What}: {why}" + (r.Hint != null ? $" Hint: {r.Hint}" : "");
        }
        return null;
    }

    static string? PartFailure(PartEvidence r, PartEvidence? s)
    {
        if (s == null) return "the check reported no result for this part (did the check cell run to its end?).";
        if (s.Student == null) return s.Error is { Length: > 0 } e ? e : "your value could not be read.";
        var v = s.Student;
        switch (r.Kind)
        {
            case "tensor":
            case "scalar":
                if (r.Reference?.Values is not { } want) return "the grader has no reference for this part (instructor error).";
                var wantShape = r.Reference.Shape ?? [];
                if (v.Values is not { } got || v.Shape is null) return "expected a tensor, got no values.";
                if (!v.Shape.SequenceEqual(wantShape)) return $"expected shape {Shape(wantShape)}, got {Shape(v.Shape)}.";
                if (r.Kind == "tensor" && v.Dtype != r.Reference.Dtype) return $"expected dtype {r.Reference.Dtype}, got {v.Dtype}.";
                if (got.Length != want.Length) return $"expected {want.Length} values, got {got.Length}.";
                return Compare(got, want, r.Rtol, r.Atol);
            case "sequence":
                if (r.Reference?.Items is not { } items) return "the grader has no reference for this part (instructor error).";
                if (v.Items is not { } gotItems) return "expected a sequence, got none.";
                for (int i = 0; i < Math.Min(items.Length, gotItems.Length); i++)
                    if (items[i] != gotItems[i]) return $"expected {List(items)}, got {List(gotItems)} (first difference at index {i}).";
                return items.Length == gotItems.Length ? null : $"expected {items.Length} items {List(items)}, got {gotItems.Length} items {List(gotItems)}.";
            case "true":
                return v.Truth == true ? null : s.Error ?? "the condition does not hold.";
            case "decreases":
                return LossFailure(v.Values);
            case "learns":
                // The random initialisations' scores come from the grader's own run (the check's code, not the student's).
                if (r.Reference?.Values is not { Length: > 0 } random) return "the grader has no random-initialisation scores for this part (instructor error).";
                if (LossFailure(v.Values) is { } lossFailure) return lossFailure;
                if (v.Score is not { } trained || !double.IsFinite(trained)) return "the trained model's score could not be read.";
                var (best, margin) = TrainingRules.LearnsBar(random, r.Atol);
                return trained > best + margin ? null
                    : $"the trained model scores {Num(trained)}, but random initialisations score up to {Num(best)}; it must beat them by more than {Num(margin)}.";
            default:
                return $"unknown check kind '{r.Kind}' (instructor error).";
        }
    }

    static string? LossFailure(double[]? values) => values is null ? "expected at least two losses." : TrainingRules.LossFailure(values);

    /// <summary><c>|a - b| &lt;= atol + rtol·|b|</c> everywhere, NaN only where the reference is NaN.</summary>
    static string? Compare(double[] got, double[] want, double rtol, double atol)
    {
        int bad = 0, worst = -1;
        double worstDiff = 0;
        for (int i = 0; i < want.Length; i++)
        {
            double a = got[i], b = want[i];
            if (a.Equals(b)) continue; // also NaN = NaN and equal infinities
            double diff = double.IsNaN(a - b) ? double.PositiveInfinity : Math.Abs(a - b);
            if (diff <= atol + rtol * Math.Abs(b)) continue;
            bad++;
            if (worst < 0 || diff > worstDiff) { worst = i; worstDiff = diff; }
        }
        return bad == 0 ? null
            : $"{bad} of {want.Length} values differ from the grader's reference: the largest absolute error is {Num(worstDiff)} at flat index {worst} (expected {Num(want[worst])}, got {Num(got[worst])}; tolerance {Num(atol)} + {Num(rtol)}·|expected|).";
    }

    static string Shape(long[] shape) => shape.Length == 0 ? "[] (scalar)" : "[" + string.Join(", ", shape) + "]";
    static string Num(double v) => TrainingRules.Num(v);
    static string List(string[] items) => "[" + string.Join(", ", items.Take(10)) + (items.Length > 10 ? $", … ({items.Length} items)" : "") + "]";
}
