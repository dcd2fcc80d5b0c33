using System.Globalization;
using CsvHelper;

namespace SslCourse.Notebooks;

/// <summary>
/// <c>grades.csv</c>: one row per student, one column per <c>notebook/exercise</c>, then one per written question
/// (<c>notebook/question:id</c>, empty while the answer waits for the instructor's score), then total and max. Written with
/// CsvHelper (RFC 4180: fields with commas, quotes, CR or LF are quoted) and with spreadsheet formula injection
/// neutralised: a field starting with <c>= + - @</c>, tab or CR gets a leading <c>'</c> (student names come from file
/// and folder names, which students choose).
/// </summary>
public static class GradesCsv
{
    /// <summary>The CsvHelper settings every grades file uses (also for merged class files).</summary>
    public static CsvWriterOptions Options { get; } = new()
    {
        Injection = CsvInjection.Escape,
        NewLine = "\n",
    };

    /// <summary>The CSV of <paramref name="grades"/> (one submission per student and notebook).</summary>
    public static string Format(IReadOnlyList<SubmissionGrade> grades)
    {
        var columns = grades.SelectMany(g => g.Exercises.Select(e => $"{g.Notebook}/{e.Exercise}")
            .Concat(g.Questions.Select(q => $"{g.Notebook}/{QuestionColumn}{q.Question}"))).Distinct().ToList();
        var rows = new List<IReadOnlyList<string>> { new[] { "student" }.Concat(columns).Append("total").Append("max").ToList() };
        foreach (var student in grades.GroupBy(g => g.Student).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var points = student.SelectMany(g => g.Exercises.Select(e => (Key: $"{g.Notebook}/{e.Exercise}", Points: (int?)e.Points))
                    .Concat(g.Questions.Select(q => (Key: $"{g.Notebook}/{QuestionColumn}{q.Question}", q.Points))))
                .GroupBy(x => x.Key).ToDictionary(x => x.Key, x => x.Max(p => p.Points));
            var row = new List<string> { student.Key };
            row.AddRange(columns.Select(c => points.TryGetValue(c, out var p) && p != null ? p.Value.ToString(CultureInfo.InvariantCulture) : ""));
            row.Add(student.Sum(g => g.Score).ToString(CultureInfo.InvariantCulture));
            row.Add(student.Sum(g => g.Max).ToString(CultureInfo.InvariantCulture));
            rows.Add(row);
        }
        return Format(rows);
    }

    /// <summary>Prefix of a written question's column (<c>notebook/question:id</c>).</summary>
    public const string QuestionColumn = "question:";

    /// <summary>Rows of fields as CSV with <see cref="Options"/>.</summary>
    public static string Format(IEnumerable<IReadOnlyList<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, true))
        {
            foreach (var row in rows) csv.WriteRecord(row.ToArray());
        }
        return text.ToString();
    }
}
