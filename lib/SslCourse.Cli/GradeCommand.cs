using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course grade</c>: grades submissions against the instructor's source notebooks, each in its own
/// child process; writes a JSON result, a Markdown report and a JUnit file per submission, and a CSV in folder mode.
/// Exit code 0 when grading ran (whatever the score), 2 when an input was unusable (named on stderr).</summary>
public static class GradeCommand
{
    public const string Usage = "grade <submission.ipynb|folder> --source <notebook|folder> [--out DIR] [--budget smoke|full] [--cell-timeout S] [--timeout S] [--memory MB] [--student NAME]\n" +
                                "       grade --manual <scores.json> [--out DIR]   (merge the instructor's scores of written answers into the results in DIR)";

    public static async Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv, ["source", "out", "budget", "cell-timeout", "timeout", "memory", "student", "manual"], []);
        if (args.Get("manual") is { } manual)
        {
            if (args.Positional.Count != 0 || args.Get("source") != null)
                throw new UsageException("--manual merges scores into results already written: give only --manual FILE and --out DIR.");
            return MergeManual(manual, Path.GetFullPath(args.Get("out") ?? "grades"));
        }
        if (args.Positional.Count != 1) throw new UsageException("expected one submission (.ipynb file or folder of submissions), then --source.");
        var sourcePath = args.Get("source") ?? throw new UsageException("--source is required: the instructor's notebook or folder of notebooks.");
        var budget = (args.Get("budget") ?? "smoke").ToLowerInvariant();
        if (budget is not ("smoke" or "full")) throw new UsageException($"--budget '{budget}': expected 'smoke' or 'full'.");
        var memoryMb = args.Get("memory") is { } m
            ? (long.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb >= 256 ? mb : throw new UsageException($"--memory '{m}': expected a number of megabytes, at least 256."))
            : 4096;
        var outDir = Path.GetFullPath(args.Get("out") ?? "grades");
        var sources = NotebookFiles.Expand([sourcePath]).Select(NotebookDocument.Load).ToList();

        var target = args.Positional[0];
        bool folderMode = Directory.Exists(target);
        var submissions = folderMode ? FindSubmissions(target) : File.Exists(target) ? [(target, Path.GetFileNameWithoutExtension(target), Path.GetFileNameWithoutExtension(target))]
            : throw new UsageException($"{target}: no such file or folder.");
        if (args.Get("student") is { Length: > 0 } who) submissions = submissions.Select(x => (x.Item1, who, x.Item3)).ToList();
        if (submissions.Count == 0) throw new UsageException($"{target}: folder holds no .ipynb submissions (at its top level or one folder down).");

        var app = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var options = new GradeOptions
        {
            CellTimeout = TimeSpan.FromSeconds(args.Seconds("cell-timeout", budget == "smoke" ? 120 : 900)),
            NotebookTimeout = TimeSpan.FromSeconds(args.Seconds("timeout", budget == "smoke" ? 600 : 3600)),
            MemoryLimitBytes = memoryMb << 20,
            Budget = budget,
            WorkerCommand = [dotnet, Path.Combine(GradeOptions.AppDirToken, "ssl-course.dll"), "grade-worker"],
            AppDir = app,
            ResultType = typeof(SslCourse.Exercises.CheckResult).FullName!,
            SolutionCheck = SslCourse.Exercises.SolutionAnalyzer.AnalyzeCells,
        };

        Console.WriteLine($"ssl-course grade: {submissions.Count} submission(s), {sources.Count} source notebook(s), budget {budget}, results in {outDir}");
        var grades = new List<SubmissionGrade>();
        bool unusable = false, internalError = false;
        foreach (var (path, student, label) in submissions)
        {
            SubmissionGrade grade;
            try
            {
                var submission = NotebookDocument.Load(path);
                var source = GradeAssembly.MatchSource(submission, sources);
                if (source == null)
                    throw new NotebookFormatException($"{path}: no matching source notebook (none has its file name or shares an exercise id with it) among {string.Join(", ", sources.Select(s => Path.GetFileName(s.Path)))}.");
                Console.WriteLine($"{label}: grading against {Path.GetFileName(source.Path)}");
                grade = await Grader.GradeAsync(submission, source, student, options, Console.Out);
            }
            catch (NotebookFormatException e)
            {
                unusable = true;
                Console.Error.WriteLine($"ssl-course grade: {e.Message}");
                grade = new SubmissionGrade(path, student, Path.GetFileNameWithoutExtension(path), null, [], [], [], false, null, 0, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault of the grader itself: reported for this submission; the others are still graded.
                internalError = true;
                Console.Error.WriteLine($"ssl-course grade: {path}: grader error: {e}");
                grade = new SubmissionGrade(path, student, Path.GetFileNameWithoutExtension(path), null, [], [], [], false, null, 0, $"grader error: {e.GetType().Name}: {e.Message}");
            }
            GradeReport.Write(grade, outDir, label);
            grades.Add(grade);
            Console.WriteLine($"{label}: {(grade.Rejected != null ? "rejected" : $"{grade.Score} / {grade.Max} points")}");
            foreach (var e in grade.Exercises) Console.WriteLine($"  {e.Message}");
        }
        if (folderMode) AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), GradeReport.Csv(grades));
        if (grades.Any(g => g.Questions.Count > 0))
        {
            var scoring = Path.Combine(outDir, ManualScores.FileName);
            try { ManualScores.Write(grades, scoring); }
            catch (NotebookFormatException e)
            {
                Console.Error.WriteLine($"ssl-course grade: {e.Message} The scoring file was left as it is; fix it, or move it away to get a fresh one.");
                return Cli.BadInput;
            }
            Console.WriteLine($"written answers to score by hand: {grades.Sum(g => g.Pending)} in {scoring} (fill in \"points\", then run: ssl-course grade --manual {scoring} --out {outDir})");
        }
        return unusable ? Cli.BadInput : internalError ? Cli.Failed : Cli.Ok;
    }

    /// <summary><c>grade --manual</c>: applies the scores of <paramref name="file"/> to every result in
    /// <paramref name="outDir"/> and rewrites its JSON, Markdown and JUnit files and grades.csv.</summary>
    static int MergeManual(string file, string outDir)
    {
        if (!File.Exists(file)) throw new UsageException($"--manual '{file}': no such file.");
        if (!Directory.Exists(outDir)) throw new UsageException($"--out '{outDir}': no such folder; expected the folder ssl-course grade wrote its results to.");
        IReadOnlyList<ManualScore> scores;
        try { scores = ManualScores.Read(file); }
        catch (NotebookFormatException e) { Console.Error.WriteLine($"ssl-course grade: {e.Message}"); return Cli.BadInput; }
        var grades = new List<SubmissionGrade>();
        int scored = 0;
        foreach (var json in Directory.GetFiles(outDir, "*.json").Where(f => Path.GetFileName(f) != ManualScores.FileName).Order(StringComparer.Ordinal))
        {
            SubmissionGrade grade;
            try { grade = ManualScores.FromJson(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json)) as System.Text.Json.Nodes.JsonObject ?? [], json); }
            catch (Exception e) when (e is NotebookFormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
            {
                Console.Error.WriteLine($"ssl-course grade: {json}: not a grade result ({e.Message}); skipped.");
                continue;
            }
            var (merged, n) = ManualScores.Apply(grade, scores);
            scored += n;
            GradeReport.Write(merged, outDir, Path.GetFileNameWithoutExtension(json));
            grades.Add(merged);
            Console.WriteLine($"{Path.GetFileNameWithoutExtension(json)}: {merged.Score} / {merged.Max} points" + (merged.Pending > 0 ? $" ({merged.Pending} written answers still to be scored)" : ""));
        }
        if (grades.Count == 0) { Console.Error.WriteLine($"ssl-course grade: {outDir} holds no grade results to merge into."); return Cli.BadInput; }
        AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), GradeReport.Csv(grades));
        Console.WriteLine($"merged {scored} written-answer score(s) from {file} into {grades.Count} result(s) in {outDir}");
        return Cli.Ok;
    }

    /// <summary>Submissions in a folder: <c>*.ipynb</c> at the top (student = file name) and one folder down
    /// (student = folder name).</summary>
    static List<(string Path, string Student, string Label)> FindSubmissions(string folder)
    {
        var list = new List<(string, string, string)>();
        foreach (var f in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal))
            list.Add((f, Path.GetFileNameWithoutExtension(f), Path.GetFileNameWithoutExtension(f)));
        foreach (var d in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            foreach (var f in Directory.GetFiles(d, "*.ipynb").Order(StringComparer.Ordinal))
                list.Add((f, Path.GetFileName(d), $"{Path.GetFileName(d)}__{Path.GetFileNameWithoutExtension(f)}"));
        return list;
    }
}
