using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace SslCourse.Notebooks;

/// <summary>Writes grades: a JSON result, a Markdown feedback report and a JUnit XML file per submission (the class
/// CSV is <see cref="GradesCsv"/>).</summary>
public static class GradeReport
{
    /// <summary>The version of the JSON result's layout.</summary>
    public const string Schema = "ssl-course-grade/1";

    /// <summary>The JSON result (see docs/grading.md for the schema).</summary>
    public static JsonObject Json(SubmissionGrade g)
    {
        var exercises = new JsonArray();
        foreach (var e in g.Exercises)
            exercises.Add(new JsonObject { ["exercise"] = e.Exercise, ["points"] = e.Points, ["max"] = e.Max, ["passed"] = e.Passed, ["message"] = e.Message });
        var failed = new JsonArray();
        foreach (var c in g.FailedCells)
            failed.Add(new JsonObject { ["cell"] = c.Cell, ["first_line"] = c.FirstLine, ["status"] = c.Status, ["error"] = c.Error });
        return new JsonObject
        {
            ["schema"] = Schema,
            ["student"] = g.Student,
            ["notebook"] = g.Notebook,
            ["submission"] = g.Submission,
            ["source"] = g.Source,
            ["status"] = g.Rejected == null ? "graded" : "rejected",
            ["error"] = g.Rejected,
            ["score"] = g.Score,
            ["max"] = g.Max,
            ["exercises"] = exercises,
            ["questions"] = new JsonArray(g.Questions.Select(q => (JsonNode?)new JsonObject
            {
                ["question"] = q.Question, ["points"] = q.Points, ["max"] = q.Max, ["status"] = q.Points == null ? "pending" : "scored",
                ["answer"] = q.Answer, ["comment"] = q.Comment,
            }).ToArray()),
            ["pending"] = g.Pending,
            ["notes"] = new JsonArray(g.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            ["run"] = new JsonObject
            {
                ["completed"] = g.Completed,
                ["stopped"] = g.Stopped,
                ["elapsed_s"] = Math.Round(g.ElapsedSeconds, 2),
                ["failed_cells"] = failed,
            },
        };
    }

    /// <summary>The feedback report for the student.</summary>
    public static string Markdown(SubmissionGrade g)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## {g.Notebook}: {g.Score} / {g.Max} points" + (g.Pending > 0 ? $" ({g.Pending} written answer{(g.Pending == 1 ? "" : "s")} still to be scored)" : ""));
        sb.AppendLine();
        if (g.Rejected != null)
        {
            sb.AppendLine($"Not graded: {g.Rejected}");
            return sb.ToString();
        }
        sb.AppendLine("| exercise | points | result |");
        sb.AppendLine("| --- | ---: | --- |");
        foreach (var e in g.Exercises)
            sb.AppendLine($"| `{e.Exercise}` | {e.Points} / {e.Max} | {Cell(e.Message)} |");
        if (g.Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var n in g.Notes) sb.AppendLine($"- Note: {Cell(n)}");
        }
        if (g.Questions.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("### Written answers");
            foreach (var q in g.Questions)
            {
                sb.AppendLine();
                sb.AppendLine($"**`{q.Question}`: {(q.Points is { } p ? $"{p} / {q.Max}" : $"– / {q.Max} (waiting for the instructor's score)")}**");
                sb.AppendLine();
                sb.AppendLine(q.Answer.Length == 0 ? "> _(no answer)_" : string.Join("\n", q.Answer.Split('\n').Select(l => "> " + l.TrimEnd('\r'))));
                if (!string.IsNullOrWhiteSpace(q.Comment)) { sb.AppendLine(); sb.AppendLine($"Instructor: {q.Comment}"); }
            }
        }
        if (g.Stopped != null)
        {
            sb.AppendLine();
            sb.AppendLine($"The run was stopped: {Cell(g.Stopped)}.");
        }
        sb.AppendLine();
        sb.AppendLine($"_Graded by `ssl-course grade` in {g.ElapsedSeconds:0.0} s; each check compares your function with the course library on seeded inputs._");
        return sb.ToString();
    }

    static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");

    /// <summary>A JUnit XML file: one test case per exercise.</summary>
    public static string JUnit(SubmissionGrade g)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", $"{g.Student}.{g.Notebook}"),
            new XAttribute("tests", Math.Max(1, g.Exercises.Count + g.Questions.Count)),
            new XAttribute("failures", g.Exercises.Count(e => !e.Passed)),
            new XAttribute("errors", g.Rejected != null ? 1 : 0),
            new XAttribute("time", g.ElapsedSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
            new XAttribute("skipped", g.Pending));
        if (g.Rejected != null)
            suite.Add(new XElement("testcase", new XAttribute("classname", g.Notebook), new XAttribute("name", "submission"),
                new XElement("error", new XAttribute("message", g.Rejected))));
        foreach (var e in g.Exercises)
        {
            var tc = new XElement("testcase", new XAttribute("classname", g.Notebook), new XAttribute("name", $"{e.Exercise} ({e.Max} points)"));
            if (!e.Passed) tc.Add(new XElement("failure", new XAttribute("message", e.Message), e.Message));
            suite.Add(tc);
        }
        foreach (var q in g.Questions)
        {
            var tc = new XElement("testcase", new XAttribute("classname", g.Notebook), new XAttribute("name", $"question {q.Question} ({q.Max} points)"));
            tc.Add(q.Points is { } p ? new XElement("system-out", $"{p} / {q.Max} points") : new XElement("skipped", new XAttribute("message", "waiting for the instructor's score")));
            suite.Add(tc);
        }
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        return doc.Declaration + "\n" + doc + "\n";
    }

    /// <summary>Writes <c>label.json</c>, <c>label.md</c> and <c>label.xml</c> into <paramref name="dir"/>.</summary>
    public static void Write(SubmissionGrade g, string dir, string label)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        AtomicFile.WriteAllText(Path.Combine(dir, label + ".json"), Json(g).ToJsonString(options) + "\n");
        AtomicFile.WriteAllText(Path.Combine(dir, label + ".md"), Markdown(g));
        AtomicFile.WriteAllText(Path.Combine(dir, label + ".xml"), JUnit(g));
    }
}
