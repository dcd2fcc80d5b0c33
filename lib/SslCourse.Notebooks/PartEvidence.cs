namespace SslCourse.Notebooks;

/// <summary>
/// What one part of a check saw, as the worker reports it (the JSON of <c>SslCourse.Exercises.CheckEvidence</c>):
/// the part's kind and tolerances, the student's value and the reference value. In a student's run only
/// <see cref="Student"/> and <see cref="Error"/> are used; kind, tolerances and references come from the grader's
/// own reference run of the source notebook.
/// </summary>
public sealed record PartEvidence(string Exercise, int Part, string What, string Kind, double Rtol, double Atol,
    EvidenceData? Student, EvidenceData? Reference, string? Error, string? Hint);

/// <summary>A compared value in plain data (see <c>SslCourse.Exercises.EvidenceValue</c>).</summary>
public sealed record EvidenceData(long[]? Shape = null, string? Dtype = null, double[]? Values = null, string[]? Items = null, bool? Truth = null, double? Score = null);
