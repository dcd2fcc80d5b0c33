using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>The grade of one written question: the student's answer and the points the instructor gave (null until
/// scored by hand).</summary>
/// <param name="Question">The question id.</param>
/// <param name="Max">Points available.</param>
/// <param name="Answer">The student's answer (the markdown of their answer cell; empty when they wrote nothing).</param>
/// <param name="Points">Points given by the instructor; null while pending.</param>
/// <param name="Comment">The instructor's comment, if any.</param>
public sealed record QuestionGrade(string Question, int Max, string Answer, int? Points = null, string? Comment = null);

/// <summary>One line of the instructor's scoring file.</summary>
public sealed record ManualScore(string Student, string Notebook, string Question, int Max, int? Points, string? Comment, string Answer);

/// <summary>
/// Written questions, graded by hand: <see cref="Collect"/> reads each answer of a submission (matched by question id);
/// <c>ssl-course grade</c> puts them in the feedback and writes a scoring file (<see cref="FileName"/>: one entry per
/// student, notebook and question with the answer and <c>"points": null</c>); the instructor fills in points (and a
/// comment); <c>ssl-course grade --manual FILE</c> merges them (<see cref="Apply"/>) into the results already written
/// (<see cref="FromJson"/> reads them back), so totals, JSON, Markdown, JUnit and CSV all include them.
/// </summary>
public static class ManualScores
{
    /// <summary>The scoring file <c>ssl-course grade</c> writes next to the results.</summary>
    public const string FileName = "manual-scores.json";

    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The answers of <paramref name="submission"/> to the questions of <paramref name="source"/>, in the
    /// source's order (an answer cell the student deleted counts as empty).</summary>
    public static IReadOnlyList<QuestionGrade> Collect(NotebookDocument source, NotebookDocument submission)
    {
        var answers = new Dictionary<string, string>();
        foreach (var q in ExerciseFormat.Questions(submission))
            answers.TryAdd(q.Id, q.Cell.Source.Trim());
        return ExerciseFormat.Questions(source).Select(q => new QuestionGrade(q.Id, q.Points, answers.GetValueOrDefault(q.Id, ""))).ToList();
    }

    /// <summary>Writes the scoring file for <paramref name="grades"/> (atomically). Entries already in an existing file
    /// at <paramref name="path"/> keep their points and comment when the answer is unchanged, so re-grading never
    /// loses the instructor's work.</summary>
    public static void Write(IEnumerable<SubmissionGrade> grades, string path)
    {
        var old = File.Exists(path) ? Read(path).ToDictionary(s => (s.Student, s.Notebook, s.Question)) : [];
        var entries = new List<ManualScore>();
        foreach (var g in grades)
            foreach (var q in g.Questions)
            {
                var kept = old.GetValueOrDefault((g.Student, g.Notebook, q.Question));
                bool same = kept != null && kept.Answer == q.Answer;
                entries.Add(new ManualScore(g.Student, g.Notebook, q.Question, q.Max, same ? kept!.Points : q.Points, same ? kept!.Comment : q.Comment, q.Answer));
            }
        foreach (var (key, s) in old)
            if (!entries.Any(e => (e.Student, e.Notebook, e.Question) == key)) entries.Add(s);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(entries, Options) + "\n");
    }

    /// <summary>Reads a scoring file.</summary>
    /// <exception cref="NotebookFormatException">The file is not valid, or an entry's points are not a whole number
    /// between 0 and its max; the message names the file and the entry.</exception>
    public static IReadOnlyList<ManualScore> Read(string path)
    {
        JsonArray array;
        try { array = JsonNode.Parse(File.ReadAllText(path)) as JsonArray ?? throw new NotebookFormatException($"{path}: expected a JSON array of scores."); }
        catch (JsonException e) { throw new NotebookFormatException($"{path}: invalid JSON ({e.Message})."); }
        var list = new List<ManualScore>();
        for (int i = 0; i < array.Count; i++)
        {
            var where = $"{path}, entry {i + 1}";
            if (array[i] is not JsonObject o) throw new NotebookFormatException($"{where}: expected an object with student, notebook, question, max and points.");
            string Text(string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s
                : throw new NotebookFormatException($"{where}: '{key}' is missing; expected a string.");
            int max = o["max"] is JsonValue mv && mv.TryGetValue<int>(out var m) && m >= 0 ? m
                : throw new NotebookFormatException($"{where}: 'max' is missing or negative.");
            int? points = null;
            if (o["points"] is JsonValue pv)
            {
                if (!pv.TryGetValue<int>(out var p) && !(pv.TryGetValue<double>(out var pd) && pd == Math.Floor(pd) && (p = (int)pd) == pd))
                    throw new NotebookFormatException($"{where} ({Text("student")}, {Text("question")}): points '{pv.ToJsonString()}': expected a whole number from 0 to {max}, or null.");
                if (p < 0 || p > max)
                    throw new NotebookFormatException($"{where} ({Text("student")}, {Text("question")}): points {p}: expected a whole number from 0 to {max}.");
                points = p;
            }
            var comment = o["comment"] is JsonValue cv && cv.TryGetValue<string>(out var c) ? c : null;
            var answer = o["answer"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : "";
            list.Add(new ManualScore(Text("student"), Text("notebook"), Text("question"), max, points, comment, answer));
        }
        return list;
    }

    /// <summary><paramref name="g"/> with the instructor's points and comments for its questions; the number of
    /// questions that got a score.</summary>
    public static (SubmissionGrade Grade, int Scored) Apply(SubmissionGrade g, IReadOnlyList<ManualScore> scores)
    {
        int scored = 0;
        var questions = g.Questions.Select(q =>
        {
            var s = scores.LastOrDefault(s => s.Student == g.Student && s.Notebook == g.Notebook && s.Question == q.Question);
            if (s?.Points == null) return q;
            scored++;
            return q with { Points = Math.Min(s.Points.Value, q.Max), Comment = s.Comment };
        }).ToList();
        return (g with { Questions = questions }, scored);
    }

    /// <summary>A submission's grade read back from its JSON result (see <see cref="GradeReport.Json"/>).</summary>
    /// <exception cref="NotebookFormatException">Not a grade result of this schema.</exception>
    public static SubmissionGrade FromJson(JsonObject o, string path)
    {
        if ((string?)o["schema"] != GradeReport.Schema) throw new NotebookFormatException($"{path}: not a grade result (schema '{o["schema"]}', expected '{GradeReport.Schema}').");
        var exercises = (o["exercises"] as JsonArray ?? []).Select(e => new ExerciseGrade((string)e!["exercise"]!, (int)e["points"]!, (int)e["max"]!, (bool)e["passed"]!, (string)e["message"]!)).ToList();
        var questions = (o["questions"] as JsonArray ?? []).Select(q => new QuestionGrade((string)q!["question"]!, (int)q["max"]!, (string?)q["answer"] ?? "", (int?)q["points"], (string?)q["comment"])).ToList();
        var notes = (o["notes"] as JsonArray ?? []).Select(n => (string)n!).ToList();
        var run = o["run"] as JsonObject ?? [];
        var failed = (run["failed_cells"] as JsonArray ?? []).Select(c => new CellProblem((int)c!["cell"]!, (string?)c["first_line"] ?? "", (string?)c["status"] ?? "", (string?)c["error"])).ToList();
        return new SubmissionGrade((string)o["submission"]!, (string)o["student"]!, (string)o["notebook"]!, (string?)o["source"], exercises, notes, failed,
            (bool?)run["completed"] ?? false, (string?)run["stopped"], (double?)run["elapsed_s"] ?? 0, (string?)o["error"]) { Questions = questions };
    }
}
