using System.Text.RegularExpressions;
using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary><c>ssl-course release --student-repo</c>: a complete student repository that builds, runs and holds no
/// solution, not in any file and not in its git history.</summary>
public class StudentRepositoryTests
{
    static string Collapse(string s) => Regex.Replace(s, @"\s+", " ").Trim();

    static readonly Dictionary<string, string?> Env = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["SSL_COURSE_BUDGET"] = "smoke" };

    static (int Code, string Output) Run(string dir, TimeSpan timeout, string file, params string[] args)
    {
        var r = DevEnv.Shell.Run(dir, timeout, Env, file, args);
        return (r.ExitCode, r.All);
    }

    [Fact]
    public void The_course_releases_as_a_student_repository_that_builds_runs_and_holds_no_solution()
    {
        var repo = Path.Combine(Repo.TempDir("student-repo"), "course");
        var release = CliProcess.Run(Repo.Root, TimeSpan.FromMinutes(2), "release", "notebooks", "--student-repo", repo);
        release.ExitCode.Should().Be(0, release.All);
        release.Stdout.Should().Contain("student repository written");

        // What a student needs is there; what only the instructor needs is not.
        var sources = Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(Path.GetFileName).Order().ToList();
        Directory.GetFiles(Path.Combine(repo, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order().Should().Equal(sources);
        Directory.GetFiles(Path.Combine(repo, ".course", "notebooks"), "*.ipynb").Select(Path.GetFileName).Order().Should().Equal(sources);
        foreach (var rel in new[] { "README.md", "SslCourse.sln", "Directory.Build.props", ".github/workflows/autograde.yml", ".devcontainer/devcontainer.json",
                     "scripts/post-create.sh", "lib/SslCourse/SslCourse.csproj", "lib/SslCourse.Cli/SslCourse.Cli.csproj", "data/PROVENANCE.md", "docs/student-guide.md" })
            File.Exists(Path.Combine(repo, rel)).Should().BeTrue($"{rel} belongs in a student repository");
        Directory.Exists(Path.Combine(repo, "tests")).Should().BeFalse();
        Directory.Exists(Path.Combine(repo, ".ci")).Should().BeFalse();
        File.Exists(Path.Combine(repo, "docs", "instructor-guide.md")).Should().BeFalse();
        File.Exists(Path.Combine(repo, ".github", "workflows", "grade-class.yml")).Should().BeFalse("class grading runs in the instructor's private repository only");
        File.ReadAllText(Path.Combine(repo, "SslCourse.sln")).Should().NotContain("SslCourse.Tests");

        // One commit of history, and it is the tree on disk.
        var log = Run(repo, TimeSpan.FromMinutes(1), "git", "log", "--all", "--format=%H");
        log.Code.Should().Be(0, log.Output);
        log.Output.Trim().Split('\n').Should().HaveCount(1);
        Run(repo, TimeSpan.FromMinutes(1), "git", "status", "--porcelain").Output.Trim().Should().BeEmpty();
        var history = Run(repo, TimeSpan.FromMinutes(2), "git", "log", "--all", "-p", "--format=%H %s").Output;

        // Grep every file (and the history) for the text of every solution of every source notebook.
        var solutions = sources.SelectMany(n => ExerciseFormat.Exercises(NotebookDocument.Load(Path.Combine(Repo.Notebooks, n!)))
                .SelectMany(e => (ExerciseFormat.Solutions(e.Cell.Source) ?? []).Select(s => (Notebook: n, e.Id, Text: Collapse(s)))))
            .Where(s => s.Text.Length > 0).ToList();
        solutions.Should().NotBeEmpty("the course's notebooks have exercises");
        var collapsedHistory = Collapse(history);
        foreach (var file in Directory.EnumerateFiles(repo, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}")))
        {
            var bytes = File.ReadAllBytes(file);
            if (Array.IndexOf(bytes, (byte)0) >= 0) continue;
            bool notebook = file.EndsWith(".ipynb");
            var text = notebook
                ? Collapse(string.Join("\n", NotebookDocument.Load(file).Cells.Select(c => c.Source)))
                : Collapse(System.Text.Encoding.UTF8.GetString(bytes));
            foreach (var s in solutions.Where(s => notebook || s.Text.Length >= StudentRepository.MinScannedLength))
                text.Contains(s.Text).Should().BeFalse($"{Path.GetRelativePath(repo, file)} must not hold the solution of {s.Notebook} / {s.Id}");
        }
        foreach (var s in solutions.Where(s => s.Text.Length >= StudentRepository.MinScannedLength))
            collapsedHistory.Contains(s.Text).Should().BeFalse($"git history must not hold the solution of {s.Notebook} / {s.Id}");
        foreach (var n in sources)
        {
            var released = NotebookDocument.Load(Path.Combine(repo, "notebooks", n!));
            foreach (var e in ExerciseFormat.Exercises(released))
                e.Cell.Source.Should().Contain($"throw new NotImplementedException(\"Exercise {e.Id}:");
        }

        // It builds on its own and its welcome notebook runs.
        var build = Run(repo, TimeSpan.FromMinutes(8), "dotnet", "build", "lib/SslCourse.Cli", "-nologo", "-v", "quiet");
        build.Code.Should().Be(0, build.Output);
        var welcome = Run(repo, TimeSpan.FromMinutes(3), "dotnet", "run", "--project", "lib/SslCourse.Cli", "--no-build", "--", "run", "notebooks/00-welcome.ipynb", "--budget", "smoke");
        welcome.Code.Should().Be(0, welcome.Output);
        welcome.Output.Should().Contain("1 of 1 notebook(s) passed");
    }

    /// <summary>A tiny course: a library file, a solution file and one notebook with the demo exercises.</summary>
    static string FakeCourse(string name, string? leakedInto = null)
    {
        var root = Repo.TempDir(name);
        Directory.CreateDirectory(Path.Combine(root, "lib", "SslCourse"));
        File.WriteAllText(Path.Combine(root, "lib", "SslCourse", "SslCourse.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        File.WriteAllText(Path.Combine(root, "lib", "SslCourse", "Ok.cs"), "namespace X; static class Ok { }");
        File.WriteAllText(Path.Combine(root, "SslCourse.sln"), SampleSolution);
        Directory.CreateDirectory(Path.Combine(root, "tests"));
        File.WriteAllText(Path.Combine(root, "tests", "Secret.cs"), "// instructor only");
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        DemoCourse.Save(DemoCourse.Source(), Path.Combine(root, "notebooks", "demo.ipynb"));
        if (leakedInto != null)
            File.WriteAllText(Path.Combine(root, leakedInto), "static class Leak {\n  static int[] Evens(int n) =>\n        Enumerable.Range(0, n).Where(i => i % 2 == 0);   // padding so the solution text is long enough to scan\n}\n" +
                "// return   Enumerable.Range(0, n).Where(i => i % 2 == 0);\n");
        return root;
    }

    [Fact]
    public void A_solution_found_anywhere_stops_the_release_and_nothing_is_written()
    {
        var course = FakeCourse("student-repo-leak", leakedInto: Path.Combine("lib", "SslCourse", "Leak.cs"));
        var outDir = Path.Combine(Repo.TempDir("student-repo-leak-out"), "repo");
        var act = () => StudentRepository.Write(course, [Path.Combine(course, "notebooks", "demo.ipynb")], outDir, git: false);
        act.Should().Throw<NotebookFormatException>().WithMessage("lib/SslCourse/Leak.cs: holds the solution of exercise 'evens' of demo.ipynb*");
        Directory.Exists(outDir).Should().BeFalse();
        Directory.GetFileSystemEntries(Path.GetDirectoryName(outDir)!).Should().BeEmpty("the temporary folder is removed");
    }

    [Fact]
    public void A_clean_course_gives_a_repository_without_tests_and_with_stubs_only()
    {
        var course = FakeCourse("student-repo-clean");
        var outDir = Path.Combine(Repo.TempDir("student-repo-clean-out"), "repo");
        var result = StudentRepository.Write(course, [Path.Combine(course, "notebooks", "demo.ipynb")], outDir, git: false);
        result.Notebooks.Should().Equal("demo.ipynb");
        result.Files.Should().Contain(["lib/SslCourse/Ok.cs", "notebooks/demo.ipynb", ".course/notebooks/demo.ipynb", "README.md", "SslCourse.sln"]);
        result.Files.Should().NotContain(f => f.StartsWith("tests/"));
        result.SolutionsScanned.Should().Be(3);
        var released = File.ReadAllText(Path.Combine(outDir, "notebooks", "demo.ipynb"));
        released.Should().NotContain("xs.Sum(v => v * v)").And.Contain("NotImplementedException");
        File.ReadAllText(Path.Combine(outDir, "README.md")).Should().Contain("notebooks/demo.ipynb");
    }

    [Fact]
    public void The_release_refuses_a_non_empty_target_and_names_it()
    {
        var course = FakeCourse("student-repo-busy");
        var outDir = Repo.TempDir("student-repo-busy-out");
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");
        var act = () => StudentRepository.Write(course, [Path.Combine(course, "notebooks", "demo.ipynb")], outDir, git: false);
        act.Should().Throw<ArgumentException>().WithMessage($"{outDir}: folder exists and is not empty*");
        File.ReadAllText(Path.Combine(outDir, "keep.txt")).Should().Be("mine");

        var cli = CliProcess.Run(course, TimeSpan.FromMinutes(1), "release", "notebooks", "--student-repo", outDir);
        cli.ExitCode.Should().Be(2);
        cli.Stderr.Should().Contain("folder exists and is not empty");
    }

    [Fact]
    public void The_solution_file_loses_its_test_projects_only()
    {
        var sln = StudentRepository.SolutionWithoutTests(SampleSolution);
        sln.Should().Contain("lib\\SslCourse\\SslCourse.csproj").And.Contain("{A75F4719-2144-485A-A2D9-3EB7878555AE}.Debug|Any CPU.Build.0");
        sln.Should().NotContain("SslCourse.Tests").And.NotContain("1DFE5030").And.NotContain("0AB3BF05");
        sln.Split("EndProject").Length.Should().Be(2, "one project is left");
    }

    const string SampleSolution = """
        Microsoft Visual Studio Solution File, Format Version 12.00
        Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "SslCourse", "lib\SslCourse\SslCourse.csproj", "{A75F4719-2144-485A-A2D9-3EB7878555AE}"
        EndProject
        Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "tests", "tests", "{0AB3BF05-4346-4AA6-1389-037BE0695223}"
        EndProject
        Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "SslCourse.Tests", "tests\SslCourse.Tests\SslCourse.Tests.csproj", "{1DFE5030-0290-4134-A410-FE6BD1F31CD5}"
        EndProject
        Global
        	GlobalSection(ProjectConfigurationPlatforms) = postSolution
        		{A75F4719-2144-485A-A2D9-3EB7878555AE}.Debug|Any CPU.Build.0 = Debug|Any CPU
        		{1DFE5030-0290-4134-A410-FE6BD1F31CD5}.Debug|Any CPU.Build.0 = Debug|Any CPU
        	EndGlobalSection
        	GlobalSection(NestedProjects) = preSolution
        		{1DFE5030-0290-4134-A410-FE6BD1F31CD5} = {0AB3BF05-4346-4AA6-1389-037BE0695223}
        	EndGlobalSection
        EndGlobal
        """;
}
