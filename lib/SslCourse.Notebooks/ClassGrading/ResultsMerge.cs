using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks.ClassGrading;

/// <summary>The points of one exercise or written question (<c>question:id</c>) in one result file; null points: a
/// written answer still waiting for the instructor's score (<c>grade --manual</c>).</summary>
public sealed record ExercisePoints(string Exercise, int? Points, int Max, bool Passed);

/// <summary>One student's result for one notebook, as read from a grade file (<see cref="GradeReport.Schema"/>).</summary>
public sealed record NotebookResult(string File, string Student, string Notebook, string Status, string? Error, IReadOnlyList<ExercisePoints> Exercises)
{
    /// <summary>What makes two results the same grade: status, error and every exercise's points (not timings or paths).</summary>
    public string Fingerprint => $"{Status}|{Error}|" + string.Join(";", Exercises.Select(e => $"{e.Exercise}:{e.Points}/{e.Max}:{e.Passed}"));
    public int Score => Exercises.Sum(e => e.Points ?? 0);
}

/// <summary>The class grades and summary that <see cref="ResultsMerge.Merge"/> produced.</summary>
/// <param name="Csv">The class CSV (students by exercises, then total, max and notes).</param>
/// <param name="Summary">The Markdown summary (per exercise: mean and share passed; per student: total).</param>
/// <param name="Students">How many students have a row.</param>
/// <param name="Files">How many result files were read (a file read twice counts twice).</param>
public sealed record ClassGrades(string Csv, string Summary, int Students, int Files);

/// <summary>
/// Joins the results folders of a class (one per chunk job, in any number and order) into one class CSV and one
/// Markdown summary. Every <c>*.json</c> file below each folder is read: grade results
/// (<see cref="GradeReport.Schema"/>) and checkout records (<see cref="CheckoutRecord.Schema"/>); other JSON is
/// ignored. The output depends only on the set of results, never on folder order or file times, so merging again
/// gives the same bytes. The same result read twice (a folder given twice, a chunk re-run with the same outcome) is
/// fine; two different results for the same student and notebook stop the merge, naming both files.
/// </summary>
public static class ResultsMerge
{
    /// <summary>Reads <paramref name="folders"/> and builds the class grades; with a roster every student on it gets
    /// a row (those without results say so) and a result for a student not on it is refused.</summary>
    /// <exception cref="NotebookFormatException">A folder or file is unusable, or two results disagree; the message names the files.</exception>
    public static ClassGrades Merge(IReadOnlyList<string> folders, Roster? roster = null)
    {
        if (folders.Count == 0) throw new NotebookFormatException("no results folder given.");
        var results = new Dictionary<(string Student, string Notebook), NotebookResult>();
        var checkouts = new Dictionary<string, (CheckoutRecord Record, string File)>(StringComparer.Ordinal);
        int files = 0;
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new NotebookFormatException($"{folder}: results folder not found.");
            foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var o = ParseObject(file);
                var schema = o["schema"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (schema == GradeReport.Schema)
                {
                    files++;
                    var r = ReadResult(o, file);
                    if (results.TryGetValue((r.Student, r.Notebook), out var seen))
                    {
                        if (seen.Fingerprint != r.Fingerprint)
                            throw new NotebookFormatException($"two different results for student '{r.Student}', notebook '{r.Notebook}': {seen.File} ({Describe(seen)}) and {r.File} ({Describe(r)}); remove the wrong one and merge again.");
                        if (string.CompareOrdinal(r.File, seen.File) < 0) results[(r.Student, r.Notebook)] = r;
                    }
                    else results[(r.Student, r.Notebook)] = r;
                }
                else if (schema == CheckoutRecord.Schema)
                {
                    files++;
                    var c = CheckoutRecord.FromJson(o, file);
                    if (checkouts.TryGetValue(c.Student, out var seen))
                    {
                        if (seen.Record.Status != c.Status || seen.Record.Commit != c.Commit)
                            throw new NotebookFormatException($"two different checkouts for student '{c.Student}': {seen.File} ({seen.Record.Message}) and {file} ({c.Message}); remove the wrong one and merge again.");
                    }
                    else checkouts[c.Student] = (c, file);
                }
            }
        }

        var students = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (student, _) in results.Keys) students.Add(student);
        foreach (var student in checkouts.Keys) students.Add(student);
        if (roster != null)
        {
            var on = roster.Students.Select(s => s.Student).ToHashSet(StringComparer.Ordinal);
            var stranger = students.FirstOrDefault(s => !on.Contains(s));
            if (stranger != null)
            {
                var where = results.Values.Where(r => r.Student == stranger).Select(r => r.File).Concat(checkouts.TryGetValue(stranger, out var c) ? [c.File] : []).Order(StringComparer.Ordinal).First();
                throw new NotebookFormatException($"{where}: a result for student '{stranger}', who is not on the roster.");
            }
            students.UnionWith(on);
        }
        if (students.Count == 0) throw new NotebookFormatException($"no grade results (*.json with schema {GradeReport.Schema}) found in {string.Join(", ", folders)}.");

        var columns = Columns(results.Values);
        var notebooks = columns.Select(c => c.Notebook).Distinct().ToList();
        int classMax = columns.Sum(c => c.Max);
        var rows = new List<StudentRow>();
        foreach (var student in students)
        {
            var points = new List<int?>();
            foreach (var c in columns)
                points.Add(results.TryGetValue((student, c.Notebook), out var r) ? (r.Exercises.FirstOrDefault(e => e.Exercise == c.Exercise) is { } ep ? ep.Points : 0) : null);
            var passed = columns.Select(c => results.TryGetValue((student, c.Notebook), out var r) && (r.Exercises.FirstOrDefault(e => e.Exercise == c.Exercise)?.Passed ?? false)).ToList();
            var checkout = checkouts.TryGetValue(student, out var co) ? co.Record : null;
            rows.Add(new StudentRow(student, checkout, points, passed, Notes(student, checkout, notebooks, results)));
        }
        return new ClassGrades(Csv(columns, rows, classMax), Summary(columns, rows, classMax, files, roster != null), rows.Count, files);
    }

    /// <summary>Writes <c>grades.csv</c> and <c>summary.md</c> into <paramref name="outDir"/> (atomically, each).</summary>
    public static void Write(ClassGrades grades, string outDir)
    {
        AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), grades.Csv);
        AtomicFile.WriteAllText(Path.Combine(outDir, "summary.md"), grades.Summary);
    }

    sealed record Column(string Notebook, string Exercise, int Max)
    {
        public string Name => $"{Notebook}/{Exercise}";
    }

    sealed record StudentRow(string Student, CheckoutRecord? Checkout, IReadOnlyList<int?> Points, IReadOnlyList<bool> Passed, IReadOnlyList<string> Notes)
    {
        public int Total => Points.Sum(p => p ?? 0);
    }

    /// <summary>Notebooks in ordinal order; within one, the exercise order of its fullest result (ties: the first
    /// student), then exercises only other results have, in ordinal order. The maximum is the largest seen.</summary>
    static List<Column> Columns(IEnumerable<NotebookResult> results)
    {
        var columns = new List<Column>();
        foreach (var nb in results.GroupBy(r => r.Notebook).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var fullest = nb.OrderByDescending(r => r.Exercises.Count).ThenBy(r => r.Student, StringComparer.Ordinal).First();
            var order = fullest.Exercises.Select(e => e.Exercise).ToList();
            order.AddRange(nb.SelectMany(r => r.Exercises.Select(e => e.Exercise)).Distinct().Except(order).Order(StringComparer.Ordinal));
            foreach (var id in order)
                columns.Add(new Column(nb.Key, id, nb.SelectMany(r => r.Exercises).Where(e => e.Exercise == id).Max(e => e.Max)));
        }
        return columns;
    }

    static List<string> Notes(string student, CheckoutRecord? checkout, IReadOnlyList<string> notebooks, Dictionary<(string, string), NotebookResult> results)
    {
        var notes = new List<string>();
        if (checkout != null && checkout.Status != CheckoutRecord.CheckedOut) { notes.Add(checkout.Message); return notes; }
        var mine = results.Values.Where(r => r.Student == student).OrderBy(r => r.Notebook, StringComparer.Ordinal).ToList();
        if (mine.Count == 0) { notes.Add(checkout == null ? "no result (its chunk did not finish, or its results were not merged)" : "no notebook graded (the repository holds no notebooks/*.ipynb)"); return notes; }
        var missing = notebooks.Where(n => !results.ContainsKey((student, n))).ToList();
        if (missing.Count > 0) notes.Add("not submitted: " + string.Join(", ", missing));
        foreach (var r in mine.Where(r => r.Status != "graded")) notes.Add($"{r.Notebook} not graded: {r.Error}");
        int pending = mine.Sum(r => r.Exercises.Count(e => e.Points == null));
        if (pending > 0) notes.Add($"{pending} written answer(s) not yet scored");
        return notes;
    }

    static string Csv(IReadOnlyList<Column> columns, IReadOnlyList<StudentRow> rows, int classMax)
    {
        var table = new List<IReadOnlyList<string>>();
        table.Add(["student", "commit", .. columns.Select(c => c.Name), "total", "max", "notes"]);
        foreach (var r in rows)
            table.Add([r.Student, r.Checkout?.Commit ?? "", .. r.Points.Select(p => p?.ToString(CultureInfo.InvariantCulture) ?? ""),
                r.Total.ToString(CultureInfo.InvariantCulture), classMax.ToString(CultureInfo.InvariantCulture), string.Join("; ", r.Notes)]);
        return CsvCells.Write(table);
    }

    static string Summary(IReadOnlyList<Column> columns, IReadOnlyList<StudentRow> rows, int classMax, int files, bool roster)
    {
        var sb = new StringBuilder();
        int n = rows.Count;
        string F(double x) => x.ToString("0.00", CultureInfo.InvariantCulture);
        sb.AppendLine("# Class grades").AppendLine();
        sb.AppendLine($"{n} student(s){(roster ? " on the roster" : "")}, {columns.Select(c => c.Notebook).Distinct().Count()} notebook(s), {columns.Count} exercise(s), {classMax} points; {files} result file(s) read.");
        if (n > 0) sb.AppendLine($"Class mean: {F(rows.Average(r => r.Total))} / {classMax} points.");
        sb.AppendLine();
        sb.AppendLine("## Per exercise").AppendLine();
        sb.AppendLine("Over all students above; a student without a result for the notebook counts as 0 points, not passed.").AppendLine();
        sb.AppendLine("| exercise | max | mean | passed |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        for (int i = 0; i < columns.Count; i++)
        {
            double mean = n == 0 ? 0 : rows.Average(r => (double)(r.Points[i] ?? 0));
            int passed = rows.Count(r => r.Passed[i]);
            sb.AppendLine($"| `{Md(columns[i].Name)}` | {columns[i].Max} | {F(mean)} | {(n == 0 ? 0 : 100.0 * passed / n).ToString("0", CultureInfo.InvariantCulture)}% ({passed}/{n}) |");
        }
        sb.AppendLine().AppendLine("## Per student").AppendLine();
        sb.AppendLine("| student | total | of | notes |");
        sb.AppendLine("| --- | ---: | ---: | --- |");
        foreach (var r in rows) sb.AppendLine($"| {Md(r.Student)} | {r.Total} | {classMax} | {Md(string.Join("; ", r.Notes))} |");
        return sb.ToString();
    }

    static string Md(string s) => s.Replace("\\", "\\\\").Replace("|", "\\|").Replace("`", "'").Replace("\r", "").Replace("\n", " ");

    static string Describe(NotebookResult r) => r.Status == "graded" ? $"{r.Score} / {r.Exercises.Sum(e => e.Max)} points" : $"{r.Status}: {r.Error}";

    /// <summary>Parses a JSON file that must hold an object.</summary>
    /// <exception cref="NotebookFormatException">Not JSON, or not an object; the message names the file.</exception>
    public static JsonObject ParseObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new NotebookFormatException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{path}: invalid JSON ({e.Message})", e);
        }
    }

    static NotebookResult ReadResult(JsonObject o, string file)
    {
        string Str(string k) => o[k] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : throw new NotebookFormatException($"{file}: no '{k}' string in the grade result.");
        var exercises = new List<ExercisePoints>();
        if (o["exercises"] is not JsonArray array) throw new NotebookFormatException($"{file}: no 'exercises' array in the grade result.");
        foreach (var e in array)
        {
            if (e is not JsonObject x || x["exercise"]?.GetValueKind() != JsonValueKind.String || x["points"]?.GetValueKind() != JsonValueKind.Number
                || x["max"]?.GetValueKind() != JsonValueKind.Number || x["passed"] is not JsonValue p || !p.TryGetValue<bool>(out var passed))
                throw new NotebookFormatException($"{file}: an exercise entry lacks exercise, points, max or passed.");
            exercises.Add(new ExercisePoints(x["exercise"]!.GetValue<string>(), x["points"]!.GetValue<int>(), x["max"]!.GetValue<int>(), passed));
        }
        // Written questions (optional: results of notebooks without questions have none): one column each.
        if (o["questions"] is JsonArray questions)
            foreach (var q in questions)
            {
                if (q is not JsonObject x || x["question"]?.GetValueKind() != JsonValueKind.String || x["max"]?.GetValueKind() != JsonValueKind.Number
                    || x["points"]?.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.Null or null))
                    throw new NotebookFormatException($"{file}: a question entry lacks question, points (a number or null) or max.");
                int? points = x["points"]?.GetValueKind() == JsonValueKind.Number ? x["points"]!.GetValue<int>() : null;
                int max = x["max"]!.GetValue<int>();
                exercises.Add(new ExercisePoints(GradesCsv.QuestionColumn + x["question"]!.GetValue<string>(), points, max, points == max));
            }
        var error = o["error"] is JsonValue ev && ev.TryGetValue<string>(out var err) ? err : null;
        return new NotebookResult(file, Str("student"), Str("notebook"), Str("status"), error, exercises);
    }
}
