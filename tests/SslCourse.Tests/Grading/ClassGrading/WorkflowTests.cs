using System.Text.RegularExpressions;
using FluentAssertions;
using SslCourse.Notebooks.ClassGrading;
using Xunit;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary>The Actions workflows, validated against GitHub's workflow schema by <c>@action-validator/cli</c> (npm,
/// installed by <c>scripts/install-test-tools.sh action-validator</c> into .tools/node), and the class-grading
/// workflow's own rules; <c>release --grading-repo</c>, which copies it into the instructor's repository.</summary>
public class WorkflowTests
{
    static readonly Lazy<string> Validator = new(() =>
    {
        var bin = Path.Combine(Repo.Root, ".tools", "node", "node_modules", ".bin", "action-validator");
        if (!File.Exists(bin))
        {
            var install = DevEnv.Shell.Run(Repo.Root, TimeSpan.FromMinutes(5), null, "bash", "scripts/install-test-tools.sh", "action-validator");
            File.Exists(bin).Should().BeTrue($"the workflow tests need action-validator; install it with `bash scripts/install-test-tools.sh action-validator` (it said: {install.All})");
        }
        return bin;
    });

    static CliProcess.Result Validate(string file) => DevEnv.Shell.Run(Repo.Root, TimeSpan.FromMinutes(1), null, Validator.Value, file);

    static string Workflow => File.ReadAllText(Path.Combine(Repo.Root, ClassWorkflow.WorkflowPath));

    [Theory]
    [InlineData(".github/workflows/grade-class.yml")]
    [InlineData(".github/workflows/autograde.yml")]
    public void The_workflow_is_valid_against_the_Actions_schema(string file)
    {
        var r = Validate(Path.Combine(Repo.Root, file));
        r.ExitCode.Should().Be(0, r.All);
    }

    [Fact]
    public void The_validator_rejects_a_workflow_that_breaks_the_schema()
    {
        var broken = Path.Combine(Repo.TempDir("workflow"), "grade-class.yml");
        File.WriteAllText(broken, Workflow.Replace("    timeout-minutes: 20\n", "    timeout-minutes: twenty\n    stepz: []\n"));
        var r = Validate(broken);
        r.ExitCode.Should().NotBe(0, "a misspelt key and a wrong type break the schema");
        r.All.Should().Contain("Additional property 'stepz' is not allowed");
    }

    [Fact]
    public void The_class_workflow_is_started_by_hand_fans_out_within_limits_and_keeps_the_token_to_one_step()
    {
        var w = Workflow;
        var on = Regex.Match(w, @"\non:\n((?:  .*\n|\n)*)").Groups[1].Value;
        Regex.Matches(on, @"^  (\w[\w-]*):", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Should().Equal(["workflow_dispatch"], "only an instructor starts it");
        on.Should().Contain("      roster:").And.Contain("      deadline:");
        w.Should().Contain("\npermissions:\n  contents: read\n");
        w.Should().Contain("matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}").And.Contain("max-parallel: 20").And.Contain("fail-fast: false");
        Regex.Matches(w, @"uses: actions/checkout@v4\n\s+with:\n\s+persist-credentials: false").Count.Should().Be(3, "no job leaves a token on disk");

        // The token reaches exactly one step, the checkout, as an environment variable of that step.
        Regex.Matches(w, "secrets\\.").Count.Should().Be(1);
        var steps = Regex.Split(w, @"\n      - ");
        steps.Where(s => s.Contains("secrets.STUDENT_REPOS_TOKEN")).Should().ContainSingle().Which.Should().StartWith("name: Check out the students' repositories at the deadline")
            .And.Contain("SSL_COURSE_GIT_TOKEN: ${{ secrets.STUDENT_REPOS_TOKEN }}").And.Contain("grade --checkout");

        // Inputs reach shell commands through environment variables only (no ${{ inputs.* }} inside a script).
        foreach (var step in steps.Where(s => s.Contains("run: |")))
            step.Should().NotContain("inputs.");
        w.Should().Contain("apt-get install -y -q bubblewrap");
        w.Should().Contain("grade --plan \"$ROSTER\"").And.Contain("grade --roster \"$ROSTER\"").And.Contain("grade --merge results --roster \"$ROSTER\" --out class");
    }

    [Fact]
    public void Release_copies_the_class_workflow_into_the_instructors_repository_once()
    {
        var repo = Repo.TempDir("instructor");
        Directory.CreateDirectory(Path.Combine(repo, "notebooks"));
        Directory.CreateDirectory(Path.Combine(repo, "lib", "SslCourse.Cli"));
        File.WriteAllText(Path.Combine(repo, "lib", "SslCourse.Cli", "SslCourse.Cli.csproj"), "<Project />");

        var r = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(1), "release", "notebooks", "--grading-repo", repo);
        r.ExitCode.Should().Be(0, r.All);
        r.Stdout.Should().Contain($"{ClassWorkflow.WorkflowPath}: written").And.Contain("roster.csv: template written");
        File.ReadAllText(Path.Combine(repo, ClassWorkflow.WorkflowPath)).Should().Be(Workflow);
        File.ReadAllText(Path.Combine(repo, "roster.csv")).Should().Be(ClassWorkflow.RosterTemplate);

        File.WriteAllText(Path.Combine(repo, "roster.csv"), "student,repository\nbob,acme/bob\n");
        var again = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(1), "release", "notebooks", "--grading-repo", repo);
        again.Stdout.Should().Contain($"{ClassWorkflow.WorkflowPath}: unchanged").And.NotContain("roster.csv");
        File.ReadAllText(Path.Combine(repo, "roster.csv")).Should().Contain("bob", "an existing roster is kept");

        var notCourse = Repo.TempDir("not-a-course");
        var bad = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(1), "release", "notebooks", "--grading-repo", notCourse);
        bad.ExitCode.Should().Be(2, bad.All);
        bad.Stderr.Should().Contain($"{notCourse}: lacks lib/SslCourse.Cli/SslCourse.Cli.csproj");
    }
}
