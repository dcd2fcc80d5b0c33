using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.Data.Analysis;

namespace SslCourse.Display;

/// <summary>
/// A small results table. In a notebook it shows as a clean HTML table (text/html) and as aligned columns
/// (text/plain) in the same output; <see cref="ToMarkdown"/> writes it for reports. Numbers are right-aligned and
/// written with <see cref="NumberFormat"/>.
/// </summary>
/// <example><code>
/// Table.From(["method", "kNN acc", "linear acc"], [["SimCLR", 0.81, 0.84], ["BYOL", 0.83, 0.86]])
/// Table.From(results)            // a list of records: one column per public property
/// Table.From(dataFrame)          // a Microsoft.Data.Analysis DataFrame
/// </code></example>
public sealed class Table
{
    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>Rows of cell values (numbers stay numbers until written).</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }

    /// <summary>Optional caption shown above the table.</summary>
    public string? Title { get; init; }

    /// <summary>Format of floating-point cells (invariant culture).</summary>
    public string NumberFormat { get; init; } = "0.####";

    /// <summary>A table with <paramref name="headers"/> and <paramref name="rows"/> (each row as long as the headers).</summary>
    public Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        if (headers.Count == 0) throw new ArgumentException("headers: a table needs at least one column.", nameof(headers));
        for (int r = 0; r < rows.Count; r++)
            if (rows[r].Count != headers.Count)
                throw new ArgumentException($"rows: row {r} has {rows[r].Count} cells for {headers.Count} columns.", nameof(rows));
        Headers = headers;
        Rows = rows;
    }

    /// <summary>A table from headers and rows of cells.</summary>
    public static Table From(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows, string? title = null) =>
        new(headers, rows.ToList()) { Title = title };

    /// <summary>A table from records or objects: one column per public property (or field), one row per item.</summary>
    public static Table From<T>(IEnumerable<T> items, string? title = null)
    {
        var members = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => ((MemberInfo)p, (Func<object, object?>)p.GetValue))
            .Concat(typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => ((MemberInfo)f, (Func<object, object?>)f.GetValue)))
            .ToList();
        if (members.Count == 0) throw new ArgumentException($"items: {typeof(T).Name} has no public properties or fields to show.", nameof(items));
        var rows = items.Select(item => (IReadOnlyList<object?>)members.Select(m => item == null ? null : m.Item2(item)).ToList()).ToList();
        return new Table(members.Select(m => m.Item1.Name).ToList(), rows) { Title = title };
    }

    /// <summary>A table from a Microsoft.Data.Analysis <see cref="DataFrame"/> (all its rows).</summary>
    public static Table From(DataFrame frame, string? title = null)
    {
        var headers = frame.Columns.Select(c => c.Name).ToList();
        var rows = new List<IReadOnlyList<object?>>();
        for (long r = 0; r < frame.Rows.Count; r++)
            rows.Add(frame.Columns.Select(c => c[r]).ToList());
        return new Table(headers, rows) { Title = title };
    }

    /// <summary>The text of one cell.</summary>
    public string Cell(int row, int column) => Format(Rows[row][column]);

    string Format(object? value) => value switch
    {
        null => "",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        decimal m => m.ToString(NumberFormat, CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    string FormatDouble(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "inf" : "-inf")
        : d != 0 && Math.Abs(d) < 1e-3 ? d.ToString("0.##E+0", CultureInfo.InvariantCulture)
        : d.ToString(NumberFormat, CultureInfo.InvariantCulture);

    static bool IsNumber(object? v) => v is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

    /// <summary>True when every non-empty cell of the column is a number (such columns are right-aligned).</summary>
    public bool IsNumeric(int column) => Rows.Any(r => r[column] != null) && Rows.All(r => r[column] == null || IsNumber(r[column]));

    /// <summary>Aligned plain text: headers, a rule, then the rows (numbers right-aligned).</summary>
    public string ToText()
    {
        var cells = Rows.Select(r => Enumerable.Range(0, Headers.Count).Select(c => OneLine(Format(r[c]))).ToArray()).ToList();
        var widths = Enumerable.Range(0, Headers.Count).Select(c => Math.Max(Headers[c].Length, cells.Count == 0 ? 0 : cells.Max(r => r[c].Length))).ToArray();
        var numeric = Enumerable.Range(0, Headers.Count).Select(IsNumeric).ToArray();
        string Line(IReadOnlyList<string> values) =>
            string.Join("  ", values.Select((v, c) => numeric[c] ? v.PadLeft(widths[c]) : v.PadRight(widths[c]))).TrimEnd();
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(Title)) sb.AppendLine(Title);
        sb.AppendLine(Line(Headers.Select(OneLine).ToList()));
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in cells) sb.AppendLine(Line(r));
        return sb.ToString().TrimEnd('\n', '\r');
    }

    /// <summary>An HTML table (cells escaped; numbers right-aligned).</summary>
    public string ToHtml()
    {
        var numeric = Enumerable.Range(0, Headers.Count).Select(IsNumeric).ToArray();
        string Align(int c) => numeric[c] ? " style=\"text-align:right\"" : " style=\"text-align:left\"";
        var sb = new StringBuilder("<table class=\"ssl-course-table\" style=\"border-collapse:collapse;font-variant-numeric:tabular-nums\">");
        if (!string.IsNullOrEmpty(Title)) sb.Append("<caption style=\"text-align:left;font-weight:bold\">").Append(WebUtility.HtmlEncode(Title)).Append("</caption>");
        sb.Append("<thead><tr>");
        for (int c = 0; c < Headers.Count; c++) sb.Append("<th").Append(Align(c)).Append('>').Append(WebUtility.HtmlEncode(Headers[c])).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            sb.Append("<tr>");
            for (int c = 0; c < Headers.Count; c++) sb.Append("<td").Append(Align(c)).Append('>').Append(WebUtility.HtmlEncode(Format(row[c]))).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>A GitHub-flavoured Markdown table (pipes escaped; numeric columns right-aligned).</summary>
    public string ToMarkdown()
    {
        static string Esc(string s) => OneLine(s).Replace("|", "\\|");
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(Title)) sb.Append("**").Append(Esc(Title)).AppendLine("**").AppendLine();
        sb.Append("| ").Append(string.Join(" | ", Headers.Select(Esc))).AppendLine(" |");
        sb.Append('|').Append(string.Join("|", Enumerable.Range(0, Headers.Count).Select(c => IsNumeric(c) ? " ---: " : " --- "))).AppendLine("|");
        foreach (var row in Rows)
            sb.Append("| ").Append(string.Join(" | ", Enumerable.Range(0, Headers.Count).Select(c => Esc(Format(row[c]))))).AppendLine(" |");
        return sb.ToString();
    }

    static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');

    /// <inheritdoc/>
    public override string ToString() => ToText();
}
