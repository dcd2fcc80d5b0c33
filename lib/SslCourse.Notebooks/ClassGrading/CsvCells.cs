using System.Text;
using CsvHelper;

namespace SslCourse.Notebooks.ClassGrading;

/// <summary>CSV reading and writing for class grading, on CsvHelper (RFC 4180). Written cells that a spreadsheet
/// would take for a formula (first character <c>= + - @</c>, tab or carriage return) get a leading apostrophe
/// (CsvHelper's <see cref="CsvInjection.Escape"/>), so a student name such as <c>=HYPERLINK(...)</c> stays text.</summary>
public static class CsvCells
{
    /// <summary>A CSV document of <paramref name="rows"/> (the first is the header), formulas neutralised; lines end in \n.</summary>
    public static string Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n", Injection = CsvInjection.Escape }, leaveOpen: true))
            foreach (var row in rows) csv.WriteRecord(row.ToArray());
        return new UTF8Encoding(false).GetString(stream.ToArray());
    }

    /// <summary>Reads a comma-separated file with a header row: the header names (trimmed, lower case) and the rows
    /// with the line each starts on. Blank lines and lines starting with <c>#</c> are skipped.</summary>
    /// <exception cref="NotebookFormatException">The file is not valid CSV; the message names the file and line.</exception>
    public static (IReadOnlyList<string> Header, IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> Rows) Read(string path)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',', HasHeader = true, CommentPrefix = '#', SkipEmptyLines = true, TrimWhitespace = true,
            MalformedData = CsvMalformedDataHandling.Throw, TrackLineNumbers = true,
        };
        var rows = new List<(int, IReadOnlyList<string>)>();
        try
        {
            using var csv = CsvReader.FromFile(path, options);
            while (csv.Read()) rows.Add(((int)csv.LineNumber, csv.Current.ToArray()));
            var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
            if (header.Count == 0 || header.All(h => h.Length == 0)) throw new NotebookFormatException($"{path}: empty file; expected a header line such as 'student,repository'.");
            return (header, rows);
        }
        catch (CsvFormatException e)
        {
            throw new NotebookFormatException($"{path}: line {e.LineNumber}: not valid CSV ({e.Message.Split('\n')[0]})", e);
        }
    }
}
