namespace SslCourse.Exercises;

/// <summary>
/// What one part of a check saw, for a grader that decides outside the student's process (see docs/grading.md,
/// "Results the solution cannot forge"). The grader's worker sets <see cref="Sink"/>; while it is set,
/// <see cref="CheckBuilder.Done"/> runs every part (not only up to the first failure) and reports each one here.
/// Nothing here is trusted by the grader: it compares the student's values with references it computed itself.
/// </summary>
/// <param name="Exercise">The exercise id.</param>
/// <param name="Part">The part's index in the check (0-based).</param>
/// <param name="What">The part's description.</param>
/// <param name="Kind"><c>tensor</c>, <c>scalar</c>, <c>sequence</c>, <c>true</c> or <c>decreases</c>.</param>
/// <param name="Rtol">Relative tolerance (tensor, scalar).</param>
/// <param name="Atol">Absolute tolerance (tensor, scalar).</param>
/// <param name="Student">The student's value (null when the student's code threw: see <paramref name="Error"/>).</param>
/// <param name="Reference">The reference value (tensor: the reference delegate's result; scalar, sequence: the expected value).</param>
/// <param name="Error">Why the student's value is missing (the check's own message, e.g. "your code threw …").</param>
/// <param name="Hint">The part's hint.</param>
public sealed record CheckEvidence(string Exercise, int Part, string What, string Kind, double Rtol, double Atol,
    EvidenceValue? Student, EvidenceValue? Reference, string? Error, string? Hint)
{
    /// <summary>Receives the evidence of every part while set (by the grader's worker); null in notebooks.</summary>
    public static Action<CheckEvidence>? Sink { get; set; }
}

/// <summary>A value a check part compared, in plain data: a tensor (shape, dtype, values as float64), a number
/// (one value, empty shape), a list of items (their invariant text), a truth value, or a loss list with the trained
/// model's score (<see cref="Score"/>, for an assemble-and-train part).</summary>
public sealed record EvidenceValue(long[]? Shape = null, string? Dtype = null, double[]? Values = null, string[]? Items = null, bool? Truth = null, double? Score = null);
