using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course grade</c>: grades submissions against the instructor's source notebooks, each run in its
/// own bubblewrap sandbox; writes a JSON result, a Markdown report and a JUnit file per submission, and a CSV in
/// folder mode. Exit code 0 when grading ran (whatever the score), 2 when an input was unusable or refused (named on
/// stderr) or no sandbox can be made, 1 when the grader itself failed on a submission.</summary>
public static class GradeCommand
{
    public const string Usage = "grade <submission.ipynb|folder> --source <notebook|folder> [--out DIR] [--budget smoke|full] [--cell-timeout S] [--timeout S] [--memory MB] [--student NAME] [--no-sandbox]";

    public static async Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv, ["source", "out", "budget", "cell-timeout", "timeout", "memory", "student"], ["no-sandbox"]);
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
        bool folderMode = Directory.Exists(target) && new FileInfo(target).LinkTarget == null;
        var refused = new List<string>();
        List<SubmissionFile> submissions;
        if (folderMode) submissions = SubmissionFiles.Find(target, refused);
        else if (SubmissionFiles.Problem(target) is { } why) { refused.Add(why); submissions = []; }
        else if (File.Exists(target)) submissions = [new SubmissionFile(target, Path.GetFileNameWithoutExtension(target), Path.GetFileNameWithoutExtension(target))];
        else throw new UsageException($"{target}: no such file or folder.");
        if (args.Get("student") is { Length: > 0 } who) submissions = submissions.Select(x => x with { Student = who }).ToList();
        if (submissions.Count == 0 && refused.Count == 0) throw new UsageException($"{target}: folder holds no .ipynb submissions (at its top level or one folder down).");

        var options = Options(args, budget, memoryMb, out var sandboxProblem);
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
        return unusable ? Cli.BadInput : internalError ? Cli.Failed : Cli.Ok;
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
    static GradeOptions Options(Args args, string budget, long memoryMb, out string? sandboxProblem)
    {
        sandboxProblem = null;
        bool sandboxed = !args.Flag("no-sandbox");
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
            CellTimeout = TimeSpan.FromSeconds(args.Seconds("cell-timeout", budget == "smoke" ? 120 : 900)),
            NotebookTimeout = TimeSpan.FromSeconds(args.Seconds("timeout", budget == "smoke" ? 600 : 3600)),
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
