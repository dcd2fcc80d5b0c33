using System.CommandLine;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course grade</c>: grades submissions against the instructor's source notebooks, each run in its
/// own bubblewrap sandbox; writes a JSON result, a Markdown report and a JUnit file per submission, and a CSV in
/// folder mode. Exit code 0 when grading ran (whatever the score), 2 when an input was unusable or refused (named on
/// stderr) or no sandbox can be made, 1 when the grader itself failed on a submission.</summary>
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
        var noSandbox = Options.Flag("no-sandbox", "Run submissions without the bubblewrap sandbox (not for official grading: a submission could then read or change other files).");
        var noAnalysis = Options.Flag("no-solution-analysis", "Do not read the solutions before running them (the check cells still do, in the sandbox): for testing the sandbox alone, not for official grading.");
        var manual = Options.Text("manual", "Merge the instructor's scores of written answers (the manual-scores.json grade wrote, with \"points\" filled in) into the results in --out.", "FILE");
        var classOptions = ClassGradeCommand.CreateOptions();
        Symbol[] symbols = [submission, source, outDir, budget, cellTimeout, timeout, memory, student, noSandbox, noAnalysis, manual, .. classOptions.All];
        return Options.Verb("grade", "Grade submissions against the source notebooks, each run in its own bubblewrap sandbox; writes JSON, Markdown and JUnit per submission and grades.csv for a folder. " +
            "Written answers: --manual SCORES.json --out DIR merges the instructor's scores. A class: --plan ROSTER, --checkout ROSTER --deadline ISO --into DIR, --roster ROSTER --repos DIR --source NB --out DIR, --merge FOLDER... --out DIR.", parse =>
        {
            // grading a class (the GitHub Actions fan-out): --plan, --checkout, --roster, --merge
            if (classOptions.Requested(parse))
                return ClassGradeCommand.RunAsync(classOptions.Read(parse, parse.GetValue(submission) ?? [], parse.GetValue(source), parse.GetValue(outDir),
                    Raw(parse, budget), parse.GetValue(cellTimeout), parse.GetValue(timeout), parse.GetValue(memory)));
            if (parse.GetValue(manual) is { } scores)
            {
                if ((parse.GetValue(submission) ?? []).Length != 0 || parse.GetValue(source) != null)
                    throw new UsageException("--manual merges scores into results already written: give only --manual FILE and --out DIR.");
                return Task.FromResult(MergeManual(scores, Path.GetFullPath(parse.GetValue(outDir) ?? "grades")));
            }
            var b = parse.GetValue(budget)!;
            return GradeAsync(parse.GetValue(submission) ?? [], parse.GetValue(source), parse.GetValue(outDir), b, parse.GetValue(student),
                TimeSpan.FromSeconds(parse.GetValue(cellTimeout) ?? (b == "smoke" ? 120 : 900)),
                TimeSpan.FromSeconds(parse.GetValue(timeout) ?? (b == "smoke" ? 600 : 3600)),
                parse.GetValue(memory) ?? 4096, parse.GetValue(noSandbox), parse.GetValue(noAnalysis));
        }, symbols);
    }

    /// <summary>The budget as typed, or null when it was left at its default.</summary>
    static string? Raw(ParseResult parse, Option<string> budget) => parse.GetResult(budget) is { Implicit: false } ? parse.GetValue(budget) : null;

    /// <summary>Runs <c>ssl-course grade</c> with <paramref name="argv"/> (the words after <c>grade</c>), as typed on a
    /// command line: the class-grading forms grade each student's notebooks this way.</summary>
    public static Task<int> RunAsync(string[] argv) => Cli.MainAsync(["grade", .. argv]);

    static async Task<int> GradeAsync(string[] positional, string? sourcePath, string? outFolder, string budget, string? studentName,
        TimeSpan cellTimeout, TimeSpan notebookTimeout, long memoryMb, bool noSandbox, bool noAnalysis)
    {
        if (positional.Length != 1) throw new UsageException("expected one submission (.ipynb file or folder of submissions), then --source.");
        if (sourcePath == null) throw new UsageException("--source is required: the instructor's notebook or folder of notebooks.");
        var outDir = Path.GetFullPath(outFolder ?? "grades");
        var sources = NotebookFiles.Expand([sourcePath]).Select(NotebookDocument.Load).ToList();

        var target = positional[0];
        bool folderMode = Directory.Exists(target) && new FileInfo(target).LinkTarget == null;
        var refused = new List<string>();
        List<SubmissionFile> submissions;
        if (folderMode) submissions = SubmissionFiles.Find(target, refused);
        else if (SubmissionFiles.Problem(target) is { } why) { refused.Add(why); submissions = []; }
        else if (File.Exists(target)) submissions = [new SubmissionFile(target, Path.GetFileNameWithoutExtension(target), Path.GetFileNameWithoutExtension(target))];
        else throw new UsageException($"{target}: no such file or folder.");
        if (studentName is { Length: > 0 } who) submissions = submissions.Select(x => x with { Student = who }).ToList();
        if (submissions.Count == 0 && refused.Count == 0) throw new UsageException($"{target}: folder holds no .ipynb submissions (at its top level or one folder down).");

        var options = MakeOptions(budget, cellTimeout, notebookTimeout, memoryMb, noSandbox, out var sandboxProblem) with
        {
            SolutionCheck = noAnalysis ? null : SslCourse.Exercises.SolutionAnalyzer.AnalyzeCells,
        };
        if (sandboxProblem != null)
        {
            Console.Error.WriteLine($"ssl-course grade: cannot make a sandbox for the submissions: {sandboxProblem}; {Bubblewrap.InstallHint}.");
            return Cli.BadInput;
        }

        Console.WriteLine($"ssl-course grade: {submissions.Count} submission(s), {sources.Count} source notebook(s), budget {budget}, " +
                          $"{(options.Sandboxed ? "one bubblewrap sandbox per run" : "NO SANDBOX (--no-sandbox)")}, results in {outDir}");
        foreach (var r in refused) Console.Error.WriteLine($"ssl-course grade: {r}");

        // Load and match every submission first: a student's second copy of a notebook is refused with the first.
        var grades = new List<SubmissionGrade>();
        var matched = new List<(SubmissionFile File, NotebookDocument Submission, NotebookDocument Source)>();
        bool unusable = refused.Count > 0, internalError = false;
        foreach (var s in submissions)
        {
            try
            {
                var submission = NotebookDocument.Load(s.Path);
                var source = GradeAssembly.MatchSource(submission, sources)
                    ?? throw new NotebookFormatException($"{s.Path}: no matching source notebook (none has its file name or shares an exercise id with it) among {string.Join(", ", sources.Select(x => Path.GetFileName(x.Path)))}.");
                matched.Add((s, submission, source));
            }
            catch (NotebookFormatException e)
            {
                unusable = true;
                grades.Add(Reject(s, e.Message, outDir));
            }
        }
        var duplicates = matched.GroupBy(x => (x.File.Student, x.Source.Path)).Where(g => g.Count() > 1).ToList();
        foreach (var message in SubmissionFiles.Duplicates(matched.Select(x => (x.File, Path.GetFileNameWithoutExtension(x.Source.Path)))))
        {
            unusable = true;
            Console.Error.WriteLine($"ssl-course grade: {message}");
        }
        foreach (var g in duplicates)
            foreach (var x in g)
                grades.Add(Reject(x.File, SubmissionFiles.Duplicates(g.Select(y => (y.File, Path.GetFileNameWithoutExtension(y.Source.Path)))).Single(), outDir, print: false));

        var references = new Dictionary<string, GradeReferences>();
        foreach (var (file, submission, source) in matched.Where(x => !duplicates.Any(g => g.Key == (x.File.Student, x.Source.Path))))
        {
            SubmissionGrade grade;
            try
            {
                if (!references.TryGetValue(source.Path, out var refs))
                {
                    Console.WriteLine($"{Path.GetFileName(source.Path)}: computing the references (the grader's own run of the source)");
                    references[source.Path] = refs = await Grader.ReferencesAsync(source, options, Console.Out);
                }
                Console.WriteLine($"{file.Label}: grading against {Path.GetFileName(source.Path)}");
                grade = await Grader.GradeAsync(submission, source, refs, file.Student, options, Console.Out);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault of the grader itself: reported for this submission; the others are still graded.
                internalError = true;
                Console.Error.WriteLine($"ssl-course grade: {file.Path}: grader error: {e}");
                grade = new SubmissionGrade(file.Path, file.Student, Path.GetFileNameWithoutExtension(file.Path), null, [], [], [], false, null, 0, $"grader error: {e.GetType().Name}: {e.Message}");
            }
            GradeReport.Write(grade, outDir, file.Label);
            grades.Add(grade);
            Console.WriteLine($"{file.Label}: {(grade.Rejected != null ? "rejected" : $"{grade.Score} / {grade.Max} points")}");
            foreach (var e in grade.Exercises) Console.WriteLine($"  {e.Message}");
        }
        if (folderMode) AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), GradesCsv.Format(grades));
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
        AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), GradesCsv.Format(grades));
        Console.WriteLine($"merged {scored} written-answer score(s) from {file} into {grades.Count} result(s) in {outDir}");
        return Cli.Ok;
    }

    static SubmissionGrade Reject(SubmissionFile file, string message, string outDir, bool print = true)
    {
        if (print) Console.Error.WriteLine($"ssl-course grade: {message}");
        var grade = new SubmissionGrade(file.Path, file.Student, Path.GetFileNameWithoutExtension(file.Path), null, [], [], [], false, null, 0, message);
        GradeReport.Write(grade, outDir, file.Label);
        return grade;
    }

    /// <summary>The grading options; <paramref name="sandboxProblem"/> says why no sandbox can be made (null when one
    /// can, or when --no-sandbox was given).</summary>
    static GradeOptions MakeOptions(string budget, TimeSpan cellTimeout, TimeSpan notebookTimeout, long memoryMb, bool noSandbox, out string? sandboxProblem)
    {
        sandboxProblem = null;
        bool sandboxed = !noSandbox;
        string? bwrap = null;
        if (sandboxed)
        {
            bwrap = Bubblewrap.Find();
            sandboxProblem = bwrap == null ? "bwrap (bubblewrap) is not installed" : Bubblewrap.Probe(bwrap);
        }
        var app = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        dotnet = new FileInfo(dotnet).ResolveLinkTarget(true)?.FullName ?? dotnet;
        var dotnetRoot = Path.GetDirectoryName(dotnet);
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } n ? n
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var mounts = new List<SandboxMount>();
        try
        {
            // The patched native library is made here, verified by SHA-256, and mounted read-only in every sandbox.
            SslCourse.Native.TorchLoader.PrepareCache();
            Directory.CreateDirectory(SslCourse.Native.TorchLoader.CacheRoot);
            mounts.Add(new SandboxMount(SslCourse.Native.TorchLoader.CacheRoot, GradeSandbox.CourseRoot + "/cache", "SSL_COURSE_CACHE"));
        }
        catch (SslCourse.Native.TorchLoadException e) { Console.Error.WriteLine($"ssl-course grade: warning: {e.Message}"); }
        return new GradeOptions
        {
            CellTimeout = cellTimeout,
            NotebookTimeout = notebookTimeout,
            MemoryLimitBytes = memoryMb << 20,
            Budget = budget,
            WorkerCommand = [dotnet, Path.Combine(GradeOptions.AppDirToken, "ssl-course.dll"), "grade-worker"],
            AppDir = app,
            ResultType = typeof(SslCourse.Exercises.CheckResult).FullName!,
            Sandboxed = sandboxed,
            Bwrap = bwrap,
            DotnetRoot = dotnetRoot,
            NuGetPackages = Directory.Exists(nuget) ? nuget : null,
            SystemPaths = new[] { dotnetRoot, Directory.Exists(nuget) ? nuget : null }.OfType<string>().ToList(),
            Mounts = mounts,
        };
    }
}
