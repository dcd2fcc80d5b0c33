using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary>Verb dispatch and the exit-code convention: 0 success, 1 a notebook or check failed, 2 unusable input.</summary>
public static class Cli
{
    public const int Ok = 0, Failed = 1, BadInput = 2;

    static readonly (string Verb, string Summary, Func<string[], Task<int>> Run)[] Verbs =
    [
        ("run", "run <notebook|folder>... [--budget smoke|full] [--out DIR] [--cell-timeout S] [--timeout S] [--keep-going]", RunCommand.RunAsync),
        ("release", ReleaseCommand.Usage, ReleaseCommand.RunAsync),
        ("grade", GradeCommand.Usage, GradeCommand.RunAsync),
        ("grade", ClassGradeCommand.Usage, GradeCommand.RunAsync), // the class-grading forms, listed in the help
        ("grade-worker", "", GradeWorkerCommand.RunAsync), // internal: the child process of grade
        ("bench-step", "", Bench.BenchStepCommand.RunAsync), // internal: one step benchmark in a fresh process
        ("bench", "bench [--only SECTION,...] [--quick] [--out DIR] [--list]", Bench.BenchCommand.RunAsync),
        ("export", ExportCommand.Usage, ExportCommand.RunAsync),
        ("pretrain", PretrainCommand.Usage, PretrainCommand.RunAsync),
    ];

    public static async Task<int> MainAsync(string[] args)
    {
        var all = Verbs;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("ssl-course: run, release and grade the self-supervised learning course's notebooks.\n\nusage:");
            foreach (var v in all.Where(v => v.Summary.Length > 0)) Console.WriteLine($"  ssl-course {v.Summary}");
            return args.Length == 0 ? BadInput : Ok;
        }
        var verb = all.FirstOrDefault(v => v.Verb == args[0]);
        if (verb.Run == null)
        {
            Console.Error.WriteLine($"ssl-course: unknown command '{args[0]}'; expected one of: {string.Join(", ", all.Select(v => v.Verb).Distinct())}.");
            return BadInput;
        }
        try
        {
            return await verb.Run(args[1..]);
        }
        catch (Exception e) when (e is UsageException or NotebookFormatException)
        {
            Console.Error.WriteLine($"ssl-course {args[0]}: {e.Message}");
            return BadInput;
        }
    }
}

/// <summary>A bad argument or input file; printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A tiny argument reader: positional arguments and --name value / --flag options.</summary>
public sealed class Args
{
    readonly Dictionary<string, string?> _options = new();
    public List<string> Positional { get; } = [];

    public Args(string[] args, IEnumerable<string> valueOptions, IEnumerable<string> flags)
    {
        var values = valueOptions.ToHashSet();
        var flagSet = flags.ToHashSet();
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                string? inline = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
                if (flagSet.Contains(name)) { _options[name] = "true"; continue; }
                if (!values.Contains(name))
                    throw new UsageException($"unknown option '{a}'; expected one of: {string.Join(", ", values.Concat(flagSet).Select(v => "--" + v))}.");
                if (inline == null)
                {
                    if (i + 1 >= args.Length) throw new UsageException($"option '--{name}' needs a value.");
                    inline = args[++i];
                }
                _options[name] = inline;
            }
            else Positional.Add(a);
        }
    }

    public string? Get(string name) => _options.GetValueOrDefault(name);
    public bool Flag(string name) => _options.ContainsKey(name);

    /// <summary>--name as a positive integer; <paramref name="fallback"/> when absent.</summary>
    public int PositiveInt(string name, int fallback) => Get(name) is { } v
        ? (long.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 && n <= int.MaxValue
            ? (int)n : throw new UsageException($"--{name} '{v}': expected a positive integer."))
        : fallback;

    /// <summary>--name as a positive finite number; <paramref name="fallback"/> when absent.</summary>
    public double PositiveNumber(string name, double fallback) => Get(name) is { } v
        ? (double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) && x > 0 && double.IsFinite(x)
            ? x : throw new UsageException($"--{name} '{v}': expected a positive number."))
        : fallback;

    public double Seconds(string name, double fallback)
    {
        var v = Get(name);
        if (v == null) return fallback;
        if (!double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var s) || s <= 0)
            throw new UsageException($"--{name} '{v}': expected a positive number of seconds.");
        return s;
    }
}
