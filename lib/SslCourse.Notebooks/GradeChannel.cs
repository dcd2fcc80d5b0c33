using System.Text;
using System.Text.Json;

namespace SslCourse.Notebooks;

/// <summary>One record the grading worker reports.</summary>
/// <param name="Kind"><c>start</c> (a cell starts), <c>cell</c> (a cell ended), <c>check</c> (a check cell ended),
/// <c>evidence</c> (one part of a check: what the student's code returned), <c>done</c> (the notebook ended).</param>
/// <param name="Cell">The cell number.</param>
/// <param name="FirstLine">The cell's first line.</param>
/// <param name="Status">The cell's status (Passed, Failed, TimedOut, Skipped).</param>
/// <param name="Error">The cell's error, if any.</param>
/// <param name="Check">The exercise id of a check cell.</param>
/// <param name="HasResult">True when the check cell returned a check result.</param>
/// <param name="Passed">The check result's own verdict (feedback only: the grade comes from the evidence).</param>
/// <param name="Message">The check result's message.</param>
/// <param name="Evidence">One part's evidence (kind <c>evidence</c>).</param>
public sealed record GradeRecord(string Kind, int Cell = 0, string? FirstLine = null, string? Status = null, string? Error = null,
    string? Check = null, bool HasResult = false, bool Passed = false, string? Message = null, PartEvidence? Evidence = null);

/// <summary>
/// The worker-to-grader channel: each record is one line <c>SSLREC2 base64(json)</c> on the worker's standard output.
/// The channel holds no secret and proves nothing: anything in the sandbox can write such lines. The grader takes
/// from it only what it cannot be fooled by — the student's values, which it compares with references it computed
/// itself (<see cref="GradeVerdict"/>) — and progress used for diagnostics.
/// </summary>
public static class GradeChannel
{
    const string Tag = "SSLREC2";
    /// <summary>The longest record line read (evidence of a large tensor is long); longer lines are dropped.</summary>
    public const int MaxLine = 32 << 20;
    /// <summary>The channel's JSON settings (NaN and infinities allowed: a student's tensor may hold them).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes records, one line each, as a single write.</summary>
    public sealed class Writer(Stream output)
    {
        readonly object _gate = new();

        /// <summary>Writes one record (long texts are cut).</summary>
        public void Write(GradeRecord record)
        {
            record = record with { FirstLine = Cut(record.FirstLine, 120), Error = Cut(record.Error, 600), Message = Cut(record.Message, 1200) };
            var body = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(record, Json));
            // A leading newline ends whatever partial line other code may have left on the stream.
            var bytes = Encoding.ASCII.GetBytes($"\n{Tag} {body}\n");
            lock (_gate)
            {
                output.Write(bytes);
                output.Flush();
            }
        }
    }

    /// <summary>The record carried by <paramref name="line"/>, or null when the line is not a well-formed record.</summary>
    public static GradeRecord? Parse(string line)
    {
        int at = line.LastIndexOf(Tag + " ", StringComparison.Ordinal);
        if (at < 0) return null;
        var body = line[(at + Tag.Length + 1)..].Trim();
        try { return JsonSerializer.Deserialize<GradeRecord>(Convert.FromBase64String(body), Json); }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException) { return null; }
    }

    static string? Cut(string? s, int n) => s == null || s.Length <= n ? s : s[..(n - 1)] + "…";
}
