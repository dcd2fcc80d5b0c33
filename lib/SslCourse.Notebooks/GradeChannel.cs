using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SslCourse.Notebooks;

/// <summary>One report of the grading worker to its parent.</summary>
/// <param name="Seq">Sequence number (0, 1, 2, ...): a record out of order is ignored.</param>
/// <param name="Kind">"start" (a cell starts), "cell" (a cell finished), "check" (a check cell finished), "done".</param>
/// <param name="Cell">One-based cell number.</param>
/// <param name="FirstLine">The cell's first line (for messages).</param>
/// <param name="Status">The cell's status (Passed, Failed, TimedOut, Skipped).</param>
/// <param name="Error">The cell's error, if any.</param>
/// <param name="Check">The exercise id of a check cell.</param>
/// <param name="HasResult">True when the check cell returned a check result.</param>
/// <param name="Passed">The check result's verdict.</param>
/// <param name="Message">The check result's message.</param>
public sealed record GradeRecord(long Seq, string Kind, int Cell = 0, string? FirstLine = null, string? Status = null, string? Error = null,
    string? Check = null, bool HasResult = false, bool Passed = false, string? Message = null);

/// <summary>
/// The worker-to-parent channel: each record is one line <c>SSLREC1 seq base64(json) hex(HMAC-SHA256)</c> on the
/// worker's standard output, keyed by a random key the parent sends on the worker's standard input before any
/// notebook code runs. Anything else on that stream (a student's prints, forged lines) fails the MAC and is ignored.
/// </summary>
public static class GradeChannel
{
    const string Tag = "SSLREC1";
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>A new random key (32 bytes).</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>Signs and writes records; holds the key only inside an <see cref="IncrementalHash"/>.</summary>
    public sealed class Writer
    {
        readonly IncrementalHash _mac;
        readonly Stream _out;
        readonly object _gate = new();
        long _seq;

        /// <summary>Takes the key (zeroed afterwards) and the stream records go to.</summary>
        public Writer(byte[] key, Stream output)
        {
            _mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            CryptographicOperations.ZeroMemory(key);
            _out = output;
        }

        /// <summary>Writes one record (its <see cref="GradeRecord.Seq"/> is set here) as a single write.</summary>
        public void Write(GradeRecord record)
        {
            lock (_gate)
            {
                record = record with
                {
                    Seq = _seq++,
                    FirstLine = Cut(record.FirstLine, 120),
                    Error = Cut(record.Error, 600),
                    Message = Cut(record.Message, 1200),
                };
                var body = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(record, Json));
                _mac.AppendData(Encoding.ASCII.GetBytes($"{record.Seq}|{body}"));
                var mac = Convert.ToHexString(_mac.GetHashAndReset()).ToLowerInvariant();
                // A leading newline ends whatever partial line other code may have left on the stream.
                var bytes = Encoding.ASCII.GetBytes($"\n{Tag} {record.Seq} {body} {mac}\n");
                _out.Write(bytes);
                _out.Flush();
            }
        }
    }

    /// <summary>Checks lines read from the worker and returns the authentic records, in order.</summary>
    public sealed class Reader(byte[] key)
    {
        long _next;

        /// <summary>The record carried by <paramref name="line"/>, or null when the line is not an authentic,
        /// in-order record.</summary>
        public GradeRecord? Parse(string line)
        {
            int at = line.LastIndexOf(Tag + " ", StringComparison.Ordinal);
            if (at < 0) return null;
            var parts = line[(at + Tag.Length + 1)..].Trim().Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[0], out var seq) || seq != _next) return null;
            byte[] mac;
            try { mac = Convert.FromHexString(parts[2]); } catch (FormatException) { return null; }
            var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{seq}|{parts[1]}"));
            if (!CryptographicOperations.FixedTimeEquals(mac, expected)) return null;
            GradeRecord? record;
            try { record = JsonSerializer.Deserialize<GradeRecord>(Convert.FromBase64String(parts[1]), Json); }
            catch (Exception e) when (e is JsonException or FormatException) { return null; }
            if (record == null || record.Seq != seq) return null;
            _next++;
            return record;
        }
    }

    static string? Cut(string? s, int n) => s == null || s.Length <= n ? s : s[..(n - 1)] + "…";
}
