using System.CommandLine;
using SslCourse.Notebooks;
using SslCourse.Notebooks.ClassGrading;

namespace SslCourse.Cli;

/// <summary>
/// The class-grading forms of <c>ssl-course grade</c>, the pieces of the GitHub Actions fan-out
/// (<c>.github/workflows/grade-class.yml</c>): <c>--plan</c> prints the job matrix for a roster, <c>--checkout</c>
/// checks out a chunk's repositories at the deadline, <c>--roster</c> grades a chunk's checkouts into a results
/// folder, <c>--merge</c> joins results folders into the class CSV and summary. The logic lives in
/// <see cref="SslCourse.Notebooks.ClassGrading"/>; grading one notebook is <see cref="GradeCommand"/>'s.
/// </summary>
public static class ClassGradeCommand
{
    public const string Usage =
        "grade --plan ROSTER [--chunk-size N]\n" +
        "  ssl-course grade --checkout ROSTER --deadline ISO8601 --into DIR [--chunk K --chunks N]   (token: $SSL_COURSE_GIT_TOKEN)\n" +
        "  ssl-course grade --roster ROSTER --repos DIR --source <notebook|folder> --out DIR [--chunk K --chunks N] [--budget ...] [--cell-timeout S] [--timeout S] [--memory MB]\n" +
        "  ssl-course grade --merge <results-folder>... --out DIR [--roster ROSTER]";

    /// <summary>The environment variable the checkout reads its read-only token from.</summary>
    public const string TokenVariable = "SSL_COURSE_GIT_TOKEN";

    /// <summary>The class-grading options of the grade verb.</summary>
    public static ClassOptions CreateOptions() => new();

    public static async Task<int> RunAsync(ClassArgs args)
    {
        if (args.Flag("merge")) return Merge(args);
        if (args.Get("plan") is { } plan) return Plan(args, plan);
        if (args.Get("checkout") is { } checkout) return Checkout(args, checkout);
        return await GradeChunkAsync(args, args.Get("roster")!);
    }

    static int Plan(ClassArgs args, string rosterPath)
    {
        NoPositional(args, "--plan");
        var roster = Roster.Load(rosterPath);
        var size = args.PositiveInt("chunk-size", 10);
        Console.WriteLine(RosterChunks.Matrix(roster, size));
        int n = RosterChunks.Count(roster.Students.Count, size);
        Console.Error.WriteLine($"ssl-course grade --plan: {roster.Students.Count} student(s) in {n} chunk(s) of at most {(roster.Students.Count + n - 1) / n}");
        return Cli.Ok;
    }

    static int Checkout(ClassArgs args, string rosterPath)
    {
        NoPositional(args, "--checkout");
        var roster = Roster.Load(rosterPath);
        var deadline = args.Get("deadline") is { } d ? Wrap(() => StudentCheckout.ParseDeadline(d)) : throw new UsageException("--deadline is required: ISO 8601 with a time zone, such as 2026-12-20T23:59:00Z.");
        var into = Path.GetFullPath(args.Get("into") ?? throw new UsageException("--into DIR is required: the folder for the checked-out repositories."));
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        var students = ChunkOf(args, roster);
        Console.WriteLine($"ssl-course grade --checkout: {students.Count} repositories at {deadline.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} into {into}{(string.IsNullOrEmpty(token) ? " (no token: public or local repositories only)" : "")}");
        foreach (var entry in students)
        {
            var record = StudentCheckout.Checkout(entry, deadline, into, token);
            record.Save(into);
            Console.WriteLine($"{entry.Student}: {record.Status}: {record.Message}");
        }
        return Cli.Ok;
    }

    static async Task<int> GradeChunkAsync(ClassArgs args, string rosterPath)
    {
        NoPositional(args, "--roster");
        var roster = Roster.Load(rosterPath);
        var repos = args.Get("repos") ?? throw new UsageException("--repos DIR is required: the folder of checked-out repositories (from --checkout).");
        var source = args.Get("source") ?? throw new UsageException("--source is required: the instructor's notebook or folder of notebooks.");
        var outDir = Path.GetFullPath(args.Get("out") ?? throw new UsageException("--out DIR is required: the results folder."));
        if (!Directory.Exists(repos)) throw new UsageException($"--repos {repos}: folder not found.");
        var sources = NotebookFiles.Expand([source]).Select(NotebookDocument.Load).ToList();
        var solutions = SolutionLeaks.Solutions(sources);
        var passOn = new List<string>();
        foreach (var o in new[] { "budget", "cell-timeout", "timeout", "memory" })
            if (args.Get(o) is { } v) passOn.AddRange(["--" + o, v]);
        var students = ChunkOf(args, roster);
        Directory.CreateDirectory(outDir);
        Console.WriteLine($"ssl-course grade --roster: {students.Count} student(s), results in {outDir}");
        int failed = 0;
        foreach (var entry in students)
        {
            var repo = Path.Combine(repos, entry.Student);
            var recordPath = Path.Combine(repos, entry.Student + ".checkout.json");
            var record = File.Exists(recordPath) ? CheckoutRecord.Load(recordPath)
                : Directory.Exists(repo) ? new CheckoutRecord(entry.Student, entry.Repository, CheckoutRecord.CheckedOut, null, null, "", "graded as found in " + repo)
                : new CheckoutRecord(entry.Student, entry.Repository, CheckoutRecord.Failed, null, null, "", $"no checkout in {repos} (run grade --checkout first)");
            if (record.Student != entry.Student) throw new UsageException($"{recordPath}: is the record of '{record.Student}', not '{entry.Student}'.");
            var submitted = record.Status == CheckoutRecord.CheckedOut ? SubmittedNotebooks.Find(repo) : null;
            if (submitted?.Problem is { } problem) record = record with { Status = CheckoutRecord.Failed, Message = problem };
            var studentOut = Path.Combine(outDir, entry.Student);
            if (Directory.Exists(studentOut)) Directory.Delete(studentOut, recursive: true); // no stale result from an earlier run
            record.Save(outDir);
            if (submitted == null || record.Status != CheckoutRecord.CheckedOut) { Console.WriteLine($"{entry.Student}: not graded: {record.Message}"); continue; }
            foreach (var (file, reason) in submitted.Refused)
            {
                Console.WriteLine($"{entry.Student}: not graded: {reason}");
                var notebook = Path.GetFileNameWithoutExtension(file);
                GradeReport.Write(new SubmissionGrade(file, entry.Student, notebook, null, [], [], [], false, null, 0, reason), studentOut, notebook);
            }
            if (submitted.Files.Count == 0 && submitted.Refused.Count == 0) Console.WriteLine($"{entry.Student}: no notebooks/*.ipynb to grade");
            foreach (var file in submitted.Files)
            {
                int rc = await GradeCommand.RunAsync([file, "--source", source, "--out", studentOut, "--student", entry.Student, .. passOn]);
                if (rc == Cli.Failed) failed++; // a grader fault; an unusable notebook (2) is the student's and is in the results
            }
        }
        int searched;
        try
        {
            searched = SolutionLeaks.Check(outDir, solutions);
        }
        catch (NotebookFormatException e)
        {
            Directory.Delete(outDir, recursive: true); // nothing of it may be uploaded
            throw new NotebookFormatException($"{e.Message} The results folder {outDir} was deleted.", e);
        }
        Console.WriteLine($"ssl-course grade --roster: {searched} result file(s) searched for {solutions.Count} solution text(s): none found");
        return failed > 0 ? Cli.Failed : Cli.Ok;
    }

    static int Merge(ClassArgs args)
    {
        if (args.Positional.Count == 0) throw new UsageException("--merge needs one or more results folders.");
        var outDir = Path.GetFullPath(args.Get("out") ?? throw new UsageException("--out DIR is required: where grades.csv and summary.md go."));
        var roster = args.Get("roster") is { } r ? Roster.Load(r) : null;
        var grades = ResultsMerge.Merge(args.Positional, roster);
        ResultsMerge.Write(grades, outDir);
        Console.WriteLine($"ssl-course grade --merge: {grades.Students} student(s) from {grades.Files} result file(s) -> {Path.Combine(outDir, "grades.csv")}, {Path.Combine(outDir, "summary.md")}");
        return Cli.Ok;
    }

    static IReadOnlyList<RosterEntry> ChunkOf(ClassArgs args, Roster roster)
    {
        var (k, n) = (args.Get("chunk"), args.Get("chunks"));
        if (k == null && n == null) return roster.Students;
        if (k == null || n == null) throw new UsageException("--chunk K and --chunks N go together (chunk K of N, from --plan's matrix).");
        return Wrap(() => RosterChunks.Chunk(roster, args.PositiveInt("chunk", 1), args.PositiveInt("chunks", 1)));
    }

    static void NoPositional(ClassArgs args, string mode)
    {
        if (args.Positional.Count > 0) throw new UsageException($"{mode} takes no submission argument (got '{args.Positional[0]}').");
    }

    static T Wrap<T>(Func<T> f)
    {
        try { return f(); }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }
}

/// <summary>The options of the class-grading forms, declared on the grade verb.</summary>
public sealed class ClassOptions
{
    readonly Option<string?> _plan = Options.Text("plan", "Class grading: print the job matrix (chunks) for a roster CSV.", "ROSTER");
    readonly Option<string?> _checkout = Options.Text("checkout", "Class grading: check out a chunk's repositories at the deadline (token: $SSL_COURSE_GIT_TOKEN).", "ROSTER");
    readonly Option<string?> _roster = Options.Text("roster", "Class grading: grade a chunk's checkouts (with --repos), or name every student of the class (with --merge).", "ROSTER");
    readonly Option<bool> _merge = Options.Flag("merge", "Class grading: join the results folders given as arguments into grades.csv and summary.md (--out).");
    readonly Option<int?> _chunk = Options.PositiveInt("chunk", "Class grading: which chunk (1..N) of --chunks N.", "K");
    readonly Option<int?> _chunks = Options.PositiveInt("chunks", "Class grading: the number of chunks.", "N");
    readonly Option<int?> _chunkSize = Options.PositiveInt("chunk-size", "Class grading: students per chunk for --plan [default: 10].", "N");
    readonly Option<string?> _deadline = Options.Text("deadline", "Class grading: ISO 8601 time with a time zone; the last commit at or before it is graded.", "ISO8601");
    readonly Option<string?> _into = Options.Text("into", "Class grading: the folder for the checked-out repositories.", "DIR");
    readonly Option<string?> _repos = Options.Text("repos", "Class grading: the folder of checked-out repositories (from --checkout).", "DIR");

    /// <summary>Every option, to declare on the verb.</summary>
    public Symbol[] All => [_plan, _checkout, _roster, _merge, _chunk, _chunks, _chunkSize, _deadline, _into, _repos];

    /// <summary>True when the command line asks for a class-grading form.</summary>
    public bool Requested(ParseResult parse) =>
        parse.GetValue(_plan) != null || parse.GetValue(_checkout) != null || parse.GetValue(_roster) != null || parse.GetValue(_merge);

    /// <summary>The values of a class-grading command line (and the grade options it passes on).</summary>
    public ClassArgs Read(ParseResult parse, string[] positional, string? source, string? outDir, string? budget, double? cellTimeout, double? timeout, int? memory)
    {
        static string? Num(double? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string?>
        {
            ["plan"] = parse.GetValue(_plan), ["checkout"] = parse.GetValue(_checkout), ["roster"] = parse.GetValue(_roster),
            ["chunk"] = parse.GetValue(_chunk)?.ToString(), ["chunks"] = parse.GetValue(_chunks)?.ToString(), ["chunk-size"] = parse.GetValue(_chunkSize)?.ToString(),
            ["deadline"] = parse.GetValue(_deadline), ["into"] = parse.GetValue(_into), ["repos"] = parse.GetValue(_repos),
            ["source"] = source, ["out"] = outDir, ["budget"] = budget, ["cell-timeout"] = Num(cellTimeout), ["timeout"] = Num(timeout), ["memory"] = memory?.ToString(),
        };
        return new ClassArgs(positional, values, parse.GetValue(_merge));
    }
}

/// <summary>A parsed class-grading command line: the positional arguments and the options' values as typed.</summary>
public sealed class ClassArgs(IReadOnlyList<string> positional, IReadOnlyDictionary<string, string?> values, bool merge)
{
    /// <summary>The arguments that are not options (results folders for --merge).</summary>
    public IReadOnlyList<string> Positional { get; } = positional;

    /// <summary>The value of an option, or null when it was not given.</summary>
    public string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;

    /// <summary>The --merge flag.</summary>
    public bool Flag(string name) => name == "merge" && merge;

    /// <summary>A whole-number option (validated as positive by the parser), or the fallback.</summary>
    public int PositiveInt(string name, int fallback) => Get(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
