using System.CommandLine;
using System.Diagnostics;
using FluentAssertions;
using Xunit;
using CourseCli = SslCourse.Cli.Cli;

namespace SslCourse.Tests.Cli;

/// <summary>The command line on System.CommandLine: help for every verb, completion, and parse errors with the
/// course's messages and exit codes (0 ok, 1 failure, 2 bad input). Verbs run in process here (they fail before any
/// work); RunCommandTests, BenchCommandTests and GradeTests run them end to end in child processes.</summary>
public class CommandLineTests
{
    static readonly string[] Verbs = ["run", "release", "grade", "bench", "export", "pretrain", "site", "completion"];

    [Fact]
    public async Task Every_verb_has_help_that_lists_its_options_and_exits_0()
    {
        var root = CourseCli.Build();
        root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).Should().BeEquivalentTo(Verbs);
        foreach (var verb in root.Subcommands.Where(c => !c.Hidden))
        {
            var r = await Invoke(verb.Name, "--help");
            r.Code.Should().Be(0, r.All);
            r.Out.Should().Contain($"{root.Name} {verb.Name}", "usage names the verb (the program is ssl-course outside the test host)").And.Contain(verb.Description!);
            foreach (var option in verb.Options) r.Out.Should().Contain(option.Name, $"`{verb.Name} --help` lists {option.Name}");
            (await Invoke(verb.Name, "-h")).Out.Should().Be(r.Out);
            (await Invoke("help", verb.Name)).Out.Should().Be(r.Out, "`ssl-course help VERB` is `VERB --help`");
        }
        var top = await Invoke("--help");
        top.Code.Should().Be(0);
        foreach (var verb in Verbs) top.Out.Should().Contain(verb);
        top.Out.Should().NotContain("grade-worker").And.NotContain("bench-step", "internal verbs are hidden");
        var none = await Invoke();
        none.Code.Should().Be(2, "no verb is unusable input");
        none.Out.Should().Be(top.Out);
    }

    [Theory]
    [InlineData("ssl-course: unknown command 'frob'; expected one of: run, release, grade, bench, export, pretrain, site, completion.", "frob")]
    [InlineData("ssl-course run: unknown option '--bogus'; expected one of: --budget, --out, --cell-timeout, --timeout, --keep-going.", "run", "x.ipynb", "--bogus")]
    [InlineData("ssl-course run: option '--out' needs a value.", "run", "x.ipynb", "--out")]
    [InlineData("ssl-course run: --budget 'huge': expected 'smoke' or 'full'.", "run", "x.ipynb", "--budget", "HUGE")]
    [InlineData("ssl-course run: --cell-timeout '-3': expected a positive number of seconds.", "run", "x.ipynb", "--cell-timeout", "-3")]
    [InlineData("ssl-course run: no notebook given; expected one or more .ipynb files or folders.", "run")]
    [InlineData("ssl-course grade: --memory '12': expected a number of megabytes, at least 256.", "grade", "s.ipynb", "--source", "n", "--memory", "12")]
    [InlineData("ssl-course grade: --source is required: the instructor's notebook or folder of notebooks.", "grade", "s.ipynb")]
    [InlineData("ssl-course release: --out DIR (the folder for the student copies), --student-repo DIR (a complete student repository) or --grading-repo DIR (the class-grading workflow into your private repository) is required.", "release", "n")]
    [InlineData("ssl-course export: --to 'py': the only export format is 'cs' (a .NET file-based app).", "export", "n", "--to", "py")]
    [InlineData("ssl-course pretrain: --minutes 'soon': expected a positive number.", "pretrain", "simclr", "--minutes", "soon")]
    [InlineData("ssl-course pretrain: --seed '-1': expected a non-negative integer.", "pretrain", "simclr", "--steps", "1", "--seed", "-1")]
    [InlineData("ssl-course pretrain: --dataset 'cifar': expected one of: toy, toy-shift, fmnist.", "pretrain", "simclr", "--steps", "1", "--dataset", "cifar")]
    [InlineData("ssl-course pretrain: --tag 'a b': expected letters, digits and '-'.", "pretrain", "simclr", "--steps", "1", "--tag", "a b")]
    [InlineData("ssl-course pretrain: expected one method, got 2; methods: ", "pretrain", "simclr", "byol", "--steps", "1")]
    [InlineData("ssl-course pretrain: give a budget: --minutes N (wall-clock) and/or --steps N.", "pretrain", "simclr")]
    [InlineData("ssl-course pretrain: simsiam trains with its own recipe from its paper, which sets the learning rate and weight decay; add --adam", "pretrain", "simsiam", "--steps", "1", "--lr", "0.1")]
    [InlineData("ssl-course bench: --only: unknown section(s) speeed; expected some of: data, speed, methods, peer, quality, notebooks.", "bench", "--only", "data,speeed")]
    [InlineData("ssl-course bench-step: --steps '0': expected a positive integer.", "bench-step", "--steps", "0")]
    [InlineData("ssl-course site: --out DIR is required: the folder for the site.", "site", "executed")]
    [InlineData("ssl-course site: --repo-url 'github.com/x': expected an http(s) address such as https://github.com/owner/course.", "site", "executed", "--out", "s", "--repo-url", "github.com/x")]
    [InlineData("ssl-course completion: shell 'fish': expected 'bash' or 'zsh'.", "completion", "fish")]
    public async Task Bad_input_exits_2_with_a_message_naming_the_argument(string message, params string[] args)
    {
        var r = await Invoke(args);
        r.Code.Should().Be(2, r.All);
        r.Err.Split('\n')[0].Should().StartWith(message);
        r.Out.Should().BeEmpty();
    }

    [Theory]
    [InlineData("ssl-course ", "run", "site", "completion")]
    [InlineData("ssl-course run --b", "--budget")]
    [InlineData("ssl-course run x.ipynb --budget ", "smoke", "full")]
    [InlineData("ssl-course pretrain ", "simclr", "byol", "rotation")]
    [InlineData("ssl-course pretrain simclr --dataset ", "toy", "toy-shift", "fmnist")]
    [InlineData("ssl-course bench --only ", "data", "quality", "notebooks")]
    public async Task The_suggest_directive_completes_verbs_options_and_values(string line, params string[] expected)
    {
        var r = await Invoke($"[suggest:{line.Length}]", line);
        r.Code.Should().Be(0, r.All);
        r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().Contain(expected);
    }

    [Fact]
    public void The_bash_completion_script_completes_through_the_command()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ssl-course.dll");
        var script = $$"""
            ssl-course() { dotnet '{{dll}}' "$@"; }
            eval "$(ssl-course completion bash)"
            COMP_LINE='ssl-course run nb.ipynb --budget s'; COMP_POINT=${#COMP_LINE}
            COMP_WORDS=(ssl-course run nb.ipynb --budget s); COMP_CWORD=4
            _ssl_course_complete
            echo "[${COMPREPLY[*]}]"
            complete -p ssl-course
            """;
        var psi = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit(60_000).Should().BeTrue();
        p.ExitCode.Should().Be(0, stderr);
        stdout.Should().Contain("[smoke]").And.Contain("complete -o default -F _ssl_course_complete ssl-course");
    }

    [Fact]
    public void Bench_help_in_a_child_process_is_what_the_issue_asked_for()
    {
        var r = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(1), "bench", "--help");
        r.ExitCode.Should().Be(0, r.All);
        r.Stdout.Should().Contain("ssl-course bench [options]").And.Contain("--only <SECTION,...>").And.Contain("--quick").And.Contain("--list");
        r.Stderr.Should().BeEmpty();
    }

    [Fact]
    public void The_command_line_recorded_in_manifests_and_reports_is_the_one_typed()
    {
        var parse = CourseCli.Build().Parse(["pretrain", "simclr", "--steps", "5", "--tag", "a b"]);
        CourseCli.CommandLine(parse).Should().Be("ssl-course pretrain simclr --steps 5 --tag \"a b\"");
        CourseCli.CommandLine(CourseCli.Build().Parse(["bench", "--only", "data", "--quick"])).Should().Be("ssl-course bench --only data --quick");
    }

    sealed record Outcome(int Code, string Out, string Err)
    {
        public string All => Out + Err;
    }

    /// <summary>Runs <see cref="CourseCli.MainAsync"/> with the console captured (tests run one at a time).</summary>
    static async Task<Outcome> Invoke(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await CourseCli.MainAsync(args);
            return new Outcome(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
