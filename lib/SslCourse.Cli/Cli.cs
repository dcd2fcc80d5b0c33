using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary>The command line on System.CommandLine: the verbs (each defines its own options in its own file), help,
/// completion, and the exit-code convention: 0 success, 1 a notebook or check failed, 2 unusable input.</summary>
public static class Cli
{
    public const int Ok = 0, Failed = 1, BadInput = 2;

    /// <summary>The root command with every verb.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("ssl-course: run, release and grade the self-supervised learning course's notebooks.")
        {
            RunCommand.Create(),
            ReleaseCommand.Create(),
            GradeCommand.Create(),
            GradeWorkerCommand.Create(),
            Bench.BenchStepCommand.Create(),
            Bench.BenchCommand.Create(),
            ExportCommand.Create(),
            PretrainCommand.Create(),
            SiteCommand.Create(),
        };
        root.Add(CompletionCommand.Create());
        return root;
    }

    public static async Task<int> MainAsync(string[] args)
    {
        var root = Build();
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke();
            return BadInput;
        }
        if (args[0] == "help") args = [.. args[1..], "--help"]; // `ssl-course help [verb]`
        var verbs = root.Subcommands.Select(c => c.Name).ToList();
        if (!args[0].StartsWith('-') && !args[0].StartsWith('[') && !verbs.Contains(args[0]))
        {
            Console.Error.WriteLine($"ssl-course: unknown command '{args[0]}'; expected one of: {string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.");
            return BadInput;
        }
        var parse = root.Parse(args);
        var verb = parse.CommandResult.Command;
        var prefix = verb is RootCommand ? "ssl-course" : $"ssl-course {verb.Name}";
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"{prefix}: {Message(error, verb)}");
            Console.Error.WriteLine($"(`{prefix} --help` lists the arguments and options)");
            return BadInput;
        }
        try
        {
            // No termination handler: Ctrl+C and SIGTERM end the process as the runtime does (exit 130/143), instead of
            // System.CommandLine's cancellation, which would report an interrupted run as exit code 1.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e) when (e is UsageException or NotebookFormatException)
        {
            Console.Error.WriteLine($"{prefix}: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>A parse error in the words the hand-written parser used (unknown option, missing value).</summary>
    static string Message(ParseError error, Command verb)
    {
        if (error.SymbolResult is OptionResult { Tokens.Count: 0 } option && option.Option.ValueType != typeof(bool))
            return $"option '{option.Option.Name}' needs a value.";
        if (error.Message.StartsWith("Unrecognized command or argument '-", StringComparison.Ordinal))
            return UnknownOption(error.Message.Split('\'')[1], verb);
        return error.Message;
    }

    internal static string UnknownOption(string token, Command verb) =>
        $"unknown option '{token}'; expected one of: {string.Join(", ", verb.Options.Where(o => !o.Hidden && o is not HelpOption && o is not VersionOption).Select(o => o.Name))}.";

    /// <summary>The <c>ssl-course pretrain ...</c> line as typed (for manifests and reports).</summary>
    public static string CommandLine(ParseResult parse) =>
        "ssl-course " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));
}

/// <summary>A bad argument or input file; printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Typed options shared by the verbs, with the validation messages of the course's command line
/// (<c>--name 'value': expected …</c>).</summary>
public static class Options
{
    /// <summary>Notebooks or folders of notebooks (checked by the verb, so its message names what it expected).</summary>
    public static Argument<string[]> Paths(string name, string description)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        argument.Validators.Add(UnknownOptions);
        return argument;
    }

    /// <summary>An argument token that looks like an option is a misspelt option, not a path.</summary>
    public static void UnknownOptions(ArgumentResult result)
    {
        if (result.Tokens.FirstOrDefault(t => t.Value.Length > 1 && t.Value[0] == '-') is { } token && result.Parent is CommandResult verb)
            result.AddError(Cli.UnknownOption(token.Value, verb.Command));
    }

    /// <summary><c>--budget smoke|full</c>, lower-cased; completes to its two values.</summary>
    public static Option<string> Budget(string fallback, string description)
    {
        var option = new Option<string>("--budget")
        {
            Description = description,
            HelpName = "smoke|full",
            DefaultValueFactory = _ => fallback,
            CustomParser = r =>
            {
                var v = r.Tokens.Single().Value.ToLowerInvariant();
                if (v is "smoke" or "full") return v;
                r.AddError($"--budget '{v}': expected 'smoke' or 'full'.");
                return null;
            },
        };
        option.CompletionSources.Add("smoke", "full");
        return option;
    }

    /// <summary><c>--name</c> with one of <paramref name="values"/> (<paramref name="fallback"/> when absent); completes
    /// to them, and names them when given anything else.</summary>
    /// <param name="ignoreCase">accept the values in any case (the verb then parses the value it gets)</param>
    public static Option<string> OneOf(string name, string description, IReadOnlyList<string> values, string fallback, bool ignoreCase = false)
    {
        var option = new Option<string>("--" + name) { Description = description, HelpName = string.Join('|', values), DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !values.Contains(r.Tokens[0].Value, ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal))
                r.AddError($"--{name} '{r.Tokens[0].Value}': expected {(values.Count == 2 ? $"{values[0]} or {values[1]}" : "one of: " + string.Join(", ", values))}.");
        });
        option.CompletionSources.Add(values.ToArray());
        return option;
    }

    /// <summary>A positive number of seconds; null when absent (the verb picks a default by budget).</summary>
    public static Option<double?> Seconds(string name, string description) =>
        Number(name, description, "S", (double x) => x > 0, "expected a positive number of seconds");

    /// <summary>A positive finite number; null when absent.</summary>
    public static Option<double?> PositiveNumber(string name, string description, string helpName = "X") =>
        Number(name, description, helpName, (double x) => x > 0 && double.IsFinite(x), "expected a positive number");

    /// <summary>A finite number &gt;= 0; null when absent.</summary>
    public static Option<double?> NonNegativeNumber(string name, string description, string helpName = "X") =>
        Number(name, description, helpName, (double x) => x >= 0 && double.IsFinite(x), "expected a number >= 0");

    /// <summary>A positive integer; null when absent.</summary>
    public static Option<int?> PositiveInt(string name, string description, string helpName = "N") =>
        Integer(name, description, helpName, 1, "expected a positive integer");

    /// <summary>An integer of at least <paramref name="min"/>; null when absent.</summary>
    public static Option<int?> Integer(string name, string description, string helpName, long min, string expected) => new("--" + name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r =>
        {
            var v = r.Tokens.Single().Value;
            if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= int.MaxValue) return (int)n;
            r.AddError($"--{name} '{v}': {expected}.");
            return null;
        },
    };

    static Option<double?> Number(string name, string description, string helpName, Func<double, bool> valid, string expected) => new("--" + name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r =>
        {
            var v = r.Tokens.Single().Value;
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && valid(x)) return x;
            r.AddError($"--{name} '{v}': {expected}.");
            return null;
        },
    };

    /// <summary>A text value (a path, a name); null when absent.</summary>
    public static Option<string?> Text(string name, string description, string helpName) => new("--" + name) { Description = description, HelpName = helpName };

    /// <summary>An on/off switch.</summary>
    public static Option<bool> Flag(string name, string description) => new("--" + name) { Description = description };

    /// <summary>A verb whose action returns an exit code.</summary>
    public static Command Verb(string name, string description, Func<ParseResult, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var s in symbols)
            switch (s)
            {
                case Argument a: command.Add(a); break;
                case Option o: command.Add(o); break;
            }
        command.SetAction((parse, _) => action(parse));
        return command;
    }
}

/// <summary>Turns command-line paths into a sorted list of notebook files.</summary>
public static class NotebookFiles
{
    /// <summary>Files stay as given; folders give their *.ipynb files (not recursive), sorted by name.
    /// A path that does not exist, or a folder without notebooks, is a <see cref="UsageException"/>.</summary>
    public static List<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                var found = Directory.GetFiles(p, "*.ipynb").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new UsageException($"{p}: folder holds no .ipynb notebooks.");
                files.AddRange(found);
            }
            else if (File.Exists(p)) files.Add(p);
            else throw new UsageException($"{p}: no such file or folder.");
        }
        return files;
    }
}
