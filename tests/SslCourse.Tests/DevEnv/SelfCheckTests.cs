using FluentAssertions;
using SslCourse.Tests.Engine;
using Xunit;

namespace SslCourse.Tests.DevEnv;

/// <summary>scripts/self-check.sh, the last step of the devcontainers' post-create script, run on this machine.
/// ssl-course is the one built beside the tests (SSL_COURSE_CLI), so the script does not rebuild the solution.</summary>
public class SelfCheckTests
{
    readonly string _dir = Repo.TempDir("selfcheck");

    static CliProcess.Result SelfCheck(params string[] args) =>
        Shell.Run(Repo.Root, TimeSpan.FromMinutes(5),
            new Dictionary<string, string?> { ["SSL_COURSE_CLI"] = "dotnet " + Path.Combine(AppContext.BaseDirectory, "ssl-course.dll") },
            "bash", [Path.Combine(Repo.Root, "scripts", "self-check.sh"), .. args]);

    /// <summary>The notebooks' setup cell, with the library's absolute path (the notebook lives outside the repository).</summary>
    internal static string SetupCell()
    {
        var bin = Path.Combine(Repo.Root, "lib", "SslCourse", "bin");
        return $"#r \"{Path.Combine(bin, "TorchSharp.dll")}\"\n#r \"{Path.Combine(bin, "SslCourse.dll")}\"\nSslCourse.Course.Setup(seed: 0);";
    }

    [Fact]
    public void A_notebook_with_the_setup_cell_passes_in_the_smoke_budget()
    {
        TestNotebooks.Write(_dir, "00-check.ipynb", SetupCell(),
            "if (SslCourse.Course.Budget != SslCourse.Budget.Smoke) throw new Exception(\"expected the smoke budget\");\nTorchSharp.torch.ones(3).sum().item<float>()");
        var r = SelfCheck(_dir);
        r.ExitCode.Should().Be(0, r.All);
        r.Stdout.Should().Contain("ok    .NET SDK 10.").And.Contain("ok    library built").And.Contain("1 of 1 notebook(s) passed").And.Contain("self-check: PASSED");
    }

    [Fact]
    public void A_failing_notebook_fails_the_check_and_points_to_the_guide()
    {
        TestNotebooks.Write(_dir, "broken.ipynb", "throw new InvalidOperationException(\"broken on purpose\");");
        var r = SelfCheck(Path.Combine(_dir, "broken.ipynb"));
        r.ExitCode.Should().Be(1, r.All);
        r.Stdout.Should().Contain("broken on purpose").And.Contain("docs/student-guide.md").And.Contain("self-check: FAILED");
    }

    [Fact]
    public void A_path_that_does_not_exist_is_refused_with_exit_2()
    {
        var r = SelfCheck(Path.Combine(_dir, "nowhere.ipynb"));
        r.ExitCode.Should().Be(2, r.All);
        r.Stdout.Should().Contain("nowhere.ipynb: no such notebook or folder");
    }

    [Fact]
    public void Without_an_argument_it_runs_the_welcome_notebook_or_says_it_is_absent()
    {
        var welcome = Path.Combine(Repo.Notebooks, "00-welcome.ipynb");
        var r = SelfCheck();
        r.ExitCode.Should().Be(0, r.All);
        if (File.Exists(welcome))
            r.Stdout.Should().Contain("00-welcome.ipynb").And.Contain("1 of 1 notebook(s) passed").And.Contain("self-check: PASSED");
        else
            r.Stdout.Should().Contain("notebooks/00-welcome.ipynb is not in this checkout yet").And.Contain("self-check: PASSED (without a notebook run)");
    }
}
