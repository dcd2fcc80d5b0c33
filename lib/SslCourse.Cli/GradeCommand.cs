using System.CommandLine;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course grade</c>: grades submissions against the instructor's source notebooks, each in its own
/// child process; writes a JSON result, a Markdown report and a JUnit file per submission, and a CSV in folder mode.
/// Exit code 0 when grading ran (whatever the score), 2 when an input was unusable (named on stderr).</summary>
public static class GradeCommand
{
    public static Command Create()
    {
        var submission = Options.Paths("submission", "A submitted notebook (.ipynb), or a folder of submissions (top level, or one folder per student).");
        var source = Options.Text("source", "Required: the instructor's notebook or folder of notebooks (with solutions and checks).", "PATH");
        var outDir = Options.Text("out", "Folder for the results [default: grades].", "DIR");
        var budget = Options.Budget("smoke", "smoke or full: the budget the notebooks run at.");
        var cellTimeout = Options.Seconds("cell-timeout", "Time limit of one cell in seconds [default: 120 at smoke, 900 at full].");
        var timeout = Options.Seconds("timeout", "Time limit of one submission in seconds [default: 600 at smoke, 3600 at full].");
        var memory = Options.Integer("memory", "Memory limit of a submission's process in MB, at least 256 [default: 4096].", "MB", 256, "expected a number of megabytes, at least 256");
        var student = Options.Text("student", "The student's name in the results [default: the file or folder name].", "NAME");
        return Options.Verb("grade", "Grade submissions against the source notebooks, each in its own process; writes JSON, Markdown and JUnit per submission and grades.csv for a folder.", parse =>
        {
            var b = parse.GetValue(budget)!;
            return GradeAsync(parse.GetValue(submission) ?? [], parse.GetValue(source), parse.GetValue(outDir), b, parse.GetValue(student),
                TimeSpan.FromSeconds(parse.GetValue(cellTimeout) ?? (b == "smoke" ? 120 : 900)),
                TimeSpan.FromSeconds(parse.GetValue(timeout) ?? (b == "smoke" ? 600 : 3600)),
                parse.GetValue(memory) ?? 4096);
        }, submission, source, outDir, budget, cellTimeout, timeout, memory, student);
    }

    static async Task<int> GradeAsync(string[] positional, string? sourcePath, string? outFolder, string budget, string? studentName,
        TimeSpan cellTimeout, TimeSpan notebookTimeout, long memoryMb)
    {
        if (positional.Length != 1) throw new UsageException("expected one submission (.ipynb file or folder of submissions), then --source.");
        if (sourcePath == null) throw new UsageException("--source is required: the instructor's notebook or folder of notebooks.");
        var outDir = Path.GetFullPath(outFolder ?? "grades");
        var sources = NotebookFiles.Expand([sourcePath]).Select(NotebookDocument.Load).ToList();

        var target = positional[0];
        bool folderMode = Directory.Exists(target);
        var submissions = folderMode ? FindSubmissions(target) : File.Exists(target) ? [(target, Path.GetFileNameWithoutExtension(target), Path.GetFileNameWithoutExtension(target))]
            : throw new UsageException($"{target}: no such file or folder.");
        if (studentName is { Length: > 0 } who) submissions = submissions.Select(x => (x.Item1, who, x.Item3)).ToList();
        if (submissions.Count == 0) throw new UsageException($"{target}: folder holds no .ipynb submissions (at its top level or one folder down).");

        var app = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var options = new GradeOptions
        {
            CellTimeout = cellTimeout,
            NotebookTimeout = notebookTimeout,
            MemoryLimitBytes = memoryMb << 20,
            Budget = budget,
            WorkerCommand = [dotnet, Path.Combine(GradeOptions.AppDirToken, "ssl-course.dll"), "grade-worker"],
            AppDir = app,
            ResultType = typeof(SslCourse.Exercises.CheckResult).FullName!,
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
        return unusable ? Cli.BadInput : internalError ? Cli.Failed : Cli.Ok;
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
