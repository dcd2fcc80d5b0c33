using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SslCourse.Notebooks;

/// <summary>One exercise of a notebook: its cell and the check cell that follows it.</summary>
/// <param name="Id">The exercise id (metadata <c>ssl_course.exercise</c>, else the header line).</param>
/// <param name="Points">Points of the exercise.</param>
/// <param name="Title">The short title from the header line.</param>
/// <param name="Cell">The exercise cell.</param>
/// <param name="CheckCell">The check cell with the same id, if any.</param>
public sealed record Exercise(string Id, int Points, string Title, NotebookCell Cell, NotebookCell? CheckCell);

/// <summary>One written question of a notebook: its answer cell.</summary>
/// <param name="Id">The question id (metadata <c>ssl_course.question</c>), unique in the notebook.</param>
/// <param name="Points">Points of the question (graded by hand).</param>
/// <param name="Cell">The answer cell (markdown): empty in the student's copy; the instructor's may hold a model answer.</param>
public sealed record Question(string Id, int Points, NotebookCell Cell);

/// <summary>
/// The exercise format shared by release and grade (generic: any notebook can use it).
/// An exercise cell has metadata <c>"ssl_course": {"exercise": id, "points": n}</c> and tag <c>exercise</c>, a first
/// line <c>// EXERCISE id (n points): title</c>, and the student's code between the lines <c>// BEGIN SOLUTION</c>
/// and <c>// END SOLUTION</c>. A check cell follows with metadata <c>"ssl_course": {"check": id, "points": n}</c>,
/// tag <c>check</c>, first line <c>// CHECK id (locked: do not edit)</c>; its return value is the check's result.
/// </summary>
public static partial class ExerciseFormat
{
    /// <summary>The line that opens the student's code.</summary>
    public const string Begin = "// BEGIN SOLUTION";
    /// <summary>The line that closes the student's code.</summary>
    public const string End = "// END SOLUTION";

    [GeneratedRegex(@"^\s*//\s*EXERCISE\s+(?<id>[A-Za-z0-9_.\-]+)\s*(\((?<points>\d+)\s*points?\))?\s*:?\s*(?<title>.*?)\s*$")]
    private static partial Regex ExerciseHeader();

    [GeneratedRegex(@"^\s*//\s*CHECK\s+(?<id>[A-Za-z0-9_.\-]+)")]
    private static partial Regex CheckHeader();

    static string FirstSourceLine(NotebookCell cell) => cell.Source.Split('\n')[0];

    static JsonObject? Meta(NotebookCell cell) => cell.Metadata["ssl_course"] as JsonObject;

    static string? MetaString(NotebookCell cell, string key) =>
        Meta(cell)?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s.Trim() : null;

    /// <summary>The exercise id of an exercise cell (metadata first, then the header line), else null.</summary>
    public static string? ExerciseId(NotebookCell cell)
    {
        if (!cell.IsCode) return null;
        return MetaString(cell, "exercise") ?? (ExerciseHeader().Match(FirstSourceLine(cell)) is { Success: true } m ? m.Groups["id"].Value : null);
    }

    /// <summary>The exercise id a check cell checks (metadata first, then the header line), else null.</summary>
    public static string? CheckId(NotebookCell cell)
    {
        if (!cell.IsCode) return null;
        return MetaString(cell, "check") ?? (CheckHeader().Match(FirstSourceLine(cell)) is { Success: true } m ? m.Groups["id"].Value : null);
    }

    /// <summary>Points of an exercise or check cell (metadata, else the header line, else 1).</summary>
    public static int Points(NotebookCell cell)
    {
        if (Meta(cell)?["points"] is JsonValue v && v.TryGetValue<int>(out var p)) return p;
        if (Meta(cell)?["points"] is JsonValue d && d.TryGetValue<double>(out var pd)) return (int)pd;
        var m = ExerciseHeader().Match(FirstSourceLine(cell));
        return m.Success && m.Groups["points"].Success ? int.Parse(m.Groups["points"].Value) : 1;
    }

    /// <summary>The title of an exercise from its header line (the id when there is none).</summary>
    public static string Title(NotebookCell cell)
    {
        var m = ExerciseHeader().Match(FirstSourceLine(cell));
        return m.Success && m.Groups["title"].Value.Length > 0 ? m.Groups["title"].Value : ExerciseId(cell) ?? "exercise";
    }

    /// <summary>The question id of an answer cell (metadata <c>ssl_course.question</c>), else null.</summary>
    public static string? QuestionId(NotebookCell cell) => MetaString(cell, "question");

    /// <summary>The written questions of a notebook, in order.</summary>
    public static IReadOnlyList<Question> Questions(NotebookDocument doc) =>
        doc.Cells.Where(c => QuestionId(c) != null).Select(c => new Question(QuestionId(c)!, Points(c), c)).ToList();

    /// <summary>The exercises of a notebook, in order, each with the first check cell of the same id after it.</summary>
    public static IReadOnlyList<Exercise> Exercises(NotebookDocument doc)
    {
        var list = new List<Exercise>();
        for (int i = 0; i < doc.Cells.Count; i++)
        {
            var id = ExerciseId(doc.Cells[i]);
            if (id == null) continue;
            var check = doc.Cells.Skip(i + 1).FirstOrDefault(c => CheckId(c) == id);
            list.Add(new Exercise(id, Points(doc.Cells[i]), Title(doc.Cells[i]), doc.Cells[i], check));
        }
        return list;
    }

    /// <summary>Everything wrong with a notebook's exercises (empty when the format is followed): a missing check
    /// cell, unbalanced markers, duplicate ids, points that differ between exercise and check.</summary>
    public static IReadOnlyList<string> Problems(NotebookDocument doc)
    {
        var problems = new List<string>();
        var exercises = Exercises(doc);
        foreach (var dup in exercises.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            problems.Add($"exercise id '{dup.Key}' is used by {dup.Count()} cells ({string.Join(", ", dup.Select(e => e.Cell.Number))}); ids must be unique.");
        foreach (var e in exercises)
        {
            var where = $"cell {e.Cell.Number} (exercise '{e.Id}')";
            if (Regions(e.Cell.Source) is not { Count: > 0 })
                problems.Add($"{where}: expected the lines '{Begin}' and '{End}' around the solution, in that order.");
            if (e.CheckCell == null) problems.Add($"{where}: no check cell with \"check\": \"{e.Id}\" follows it.");
            else if (Meta(e.CheckCell)?["points"] != null && Points(e.CheckCell) != e.Points)
                problems.Add($"{where}: {e.Points} points, but its check cell {e.CheckCell.Number} says {Points(e.CheckCell)}.");
        }
        var questions = Questions(doc);
        foreach (var dup in questions.GroupBy(q => q.Id).Where(g => g.Count() > 1))
            problems.Add($"question id '{dup.Key}' is used by {dup.Count()} cells ({string.Join(", ", dup.Select(q => q.Cell.Number))}); ids must be unique.");
        foreach (var q in questions.Where(q => q.Cell.Kind != "markdown"))
            problems.Add($"cell {q.Cell.Number} (question '{q.Id}'): an answer cell must be a markdown cell, not {q.Cell.Kind}.");
        foreach (var q in questions.Where(q => q.Points < 0))
            problems.Add($"cell {q.Cell.Number} (question '{q.Id}'): points {q.Points}: expected 0 or more.");
        foreach (var c in doc.Cells.Where(c => CheckId(c) is { } id && exercises.All(e => e.Id != id)))
            problems.Add($"cell {c.Number}: check '{CheckId(c)}' has no exercise cell before it.");
        return problems;
    }

    /// <summary>Line ranges of the solution regions: (index of the BEGIN line, index of the END line) pairs; null when
    /// the markers are missing, nested or unbalanced.</summary>
    public static IReadOnlyList<(int Begin, int End)>? Regions(string source)
    {
        var lines = source.Split('\n');
        var regions = new List<(int, int)>();
        int open = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            var t = lines[i].Trim();
            if (t == Begin)
            {
                if (open >= 0) return null;
                open = i;
            }
            else if (t == End)
            {
                if (open < 0) return null;
                regions.Add((open, i));
                open = -1;
            }
        }
        return open >= 0 || regions.Count == 0 ? null : regions;
    }

    /// <summary>The code between the markers, one string per region; null when the markers are missing or unbalanced.</summary>
    public static IReadOnlyList<string>? Solutions(string source)
    {
        var regions = Regions(source);
        if (regions == null) return null;
        var lines = source.Split('\n');
        return regions.Select(r => string.Join("\n", lines[(r.Begin + 1)..r.End])).ToList();
    }

    /// <summary>Replaces the code between each pair of markers with <paramref name="content"/>(region index, indent
    /// of the BEGIN line); the markers and everything outside them stay as they are.</summary>
    public static string ReplaceSolutions(string source, Func<int, string, string> content)
    {
        var regions = Regions(source) ?? throw new InvalidOperationException("the solution markers are missing or unbalanced.");
        var lines = source.Split('\n');
        var output = new List<string>();
        int next = 0;
        for (int k = 0; k < regions.Count; k++)
        {
            var (b, e) = regions[k];
            output.AddRange(lines[next..(b + 1)]);
            var indent = lines[b][..(lines[b].Length - lines[b].TrimStart().Length)];
            var replacement = content(k, indent);
            if (replacement.Length > 0) output.AddRange(replacement.Split('\n'));
            next = e;
        }
        output.AddRange(lines[next..]);
        return string.Join("\n", output);
    }

    /// <summary>The stub that replaces a solution in the released notebook.</summary>
    public static string Stub(string id, string title, string indent) =>
        $"{indent}throw new NotImplementedException(\"Exercise {id}: {title.Replace("\\", "\\\\").Replace("\"", "\\\"")}\");";

    /// <summary>The source of an exercise cell after its header line (used when a submission lost its markers).</summary>
    public static string BodyAfterHeader(string source)
    {
        var lines = source.Split('\n');
        return ExerciseHeader().IsMatch(lines[0]) ? string.Join("\n", lines[1..]) : source;
    }
}
