using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using SslCourse.Notebooks;
using Xunit;
using Xunit.Abstractions;
using static SslCourse.Tests.Grading.ClassGrading.StudentRepos;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary>
/// The class-grading fan-out run here the way the workflow runs it on Actions, with local processes for jobs: a
/// generated class of 31 git repositories of the demo course (honest, partial, empty, late, broken), a roster, the plan,
/// each chunk checked out at the deadline and graded by its own process (all at once), the merge; then the same class
/// graded by one sequential process, which must give the same class CSV byte for byte.
/// </summary>
public class ClassGradingEndToEndTests(ITestOutputHelper output)
{
    static readonly DateTimeOffset Deadline = Day(20, 23);
    const string Double = "return x * 2;", SumSq = "return xs.Sum(v => v * v);", Evens = "return Enumerable.Range(0, n).Where(i => i % 2 == 0);";

    /// <summary>Student name → (expected total, how the repository is made).</summary>
    static Dictionary<string, (int Total, Action<string> Make)> Class(JsonObject released, string sourcePath)
    {
        static JsonObject Solve(JsonObject nb, params (string Id, string Code)[] solutions) =>
            solutions.Aggregate(nb, (acc, s) => DemoCourse.WithSolution(acc, s.Id, s.Code));
        void Save(string repo, JsonObject nb) => DemoCourse.Save(nb, Path.Combine(repo, "notebooks", "demo.ipynb"));
        var all = new[] { ("double", Double), ("sumsq", SumSq), ("evens", Evens) };
        var c = new Dictionary<string, (int, Action<string>)>();
        // Graded by a worker process (the costly part, twice over: kept to 11 of 31 so the test stays short).
        for (int i = 1; i <= 3; i++)
            c[$"honest-{i:00}"] = (6, repo =>
            {
                Commit(Init(repo), Day(1), "released", r => Save(r, released));
                Commit(repo, Day(10 + i), "solved", r => Save(r, Solve(released, all)));
            });
        var partial = new (int Points, (string, string)[] Solved)[] { (2, [all[0]]), (3, [all[1]]), (3, [all[0], all[2]]), (1, [all[2]]) };
        for (int i = 1; i <= partial.Length; i++)
        {
            var (points, solved) = partial[i % partial.Length];
            c[$"partial-{i:00}"] = (points, repo => Commit(Init(repo), Day(5), "some", r => Save(r, Solve(released, solved))));
        }
        c["empty-01"] = (0, repo => Commit(Init(repo), Day(1), "released", r => Save(r, released)));
        c["broken-01"] = (4, repo => Commit(Init(repo), Day(6), "typo", r => Save(r, DemoCourse.WithSolution(Solve(released, all), "double", "return x *;"))));
        c["broken-02"] = (2, repo =>
        {
            Commit(Init(repo), Day(6), "in time", r => Save(r, Solve(released, all[0])));
            Commit(repo, Day(22), "after the deadline", r => Save(r, Solve(released, all)));
        });
        c["broken-03"] = (5, repo => Commit(Init(repo), Day(6), "deleted a cell", r => Save(r, DemoCourse.Without(Solve(released, all), "ex-evens"))));
        // Nothing to run: settled before any worker starts.
        c["empty-03"] = (0, repo => Init(repo));
        c["empty-04"] = (0, repo => Commit(Init(repo), Day(2), "readme", r => File.WriteAllText(Path.Combine(r, "README.md"), "# mine\n")));
        c["empty-05"] = (0, repo => Commit(Init(repo), Day(2), "notes", r => { Directory.CreateDirectory(Path.Combine(r, "notebooks")); File.WriteAllText(Path.Combine(r, "notebooks", "notes.txt"), "later"); }));
        c["empty-06"] = (0, repo => Commit(Init(repo), Day(2), "nothing", _ => { }));
        c["broken-04"] = (0, repo => Commit(Init(repo), Day(3), "oops", r => { Directory.CreateDirectory(Path.Combine(r, "notebooks")); File.WriteAllText(Path.Combine(r, "notebooks", "demo.ipynb"), "{\"cells\": ["); }));
        c["broken-05"] = (0, repo => Commit(Init(repo), Day(3), "link", r => { Directory.CreateDirectory(Path.Combine(r, "notebooks")); File.CreateSymbolicLink(Path.Combine(r, "notebooks", "demo.ipynb"), sourcePath); }));
        c["broken-06"] = (0, repo => Commit(Init(repo), Day(3), "folder link", r => Directory.CreateSymbolicLink(Path.Combine(r, "notebooks"), Path.GetDirectoryName(sourcePath)!)));
        c["broken-07"] = (0, _ => { }); // the repository does not exist
        c["broken-08"] = (0, repo => Commit(Init(repo), Day(24), "too late", r => Save(r, Solve(released, all))));
        // Solved, but only after the deadline: no commit is dated at or before it, so nothing is graded.
        foreach (var day in new[] { 21, 22, 23, 24 })
            c[$"late-{day - 20:00}"] = (0, repo => Commit(Init(repo), Day(day), "solved late", r => Save(r, Solve(released, all))));
        c["broken-09"] = (0, repo => Commit(Init(repo), Day(6), "stranger", r => DemoCourse.Save(new JsonObject { ["nbformat"] = 4, ["cells"] = new JsonArray() }, Path.Combine(r, "notebooks", "stranger.ipynb"))));
        c["broken-10"] = (0, repo => Commit(Init(repo), Day(6), "text", r => { Directory.CreateDirectory(Path.Combine(r, "notebooks")); File.WriteAllText(Path.Combine(r, "notebooks", "demo.ipynb"), "my answers are in my head"); }));
        c["broken-11"] = (0, repo =>
        {
            Commit(Init(repo), Day(25), "late on main", r => Save(r, released));
            Git(repo, null, "checkout", "-q", "-b", "work");
            Commit(repo, Day(4), "early, on another branch", r => Save(r, Solve(released, all)));
            Git(repo, null, "checkout", "-q", "main");
        });
        c["empty-07"] = (0, repo => Commit(Init(repo), Day(2), "keep", r => { Directory.CreateDirectory(Path.Combine(r, "notebooks")); File.WriteAllText(Path.Combine(r, "notebooks", ".gitkeep"), ""); }));
        c["empty-08"] = (0, repo =>
        {
            Commit(Init(repo), Day(1), "released", r => Save(r, released));
            Commit(repo, Day(2), "deleted everything", r => Directory.Delete(Path.Combine(r, "notebooks"), recursive: true));
        });
        c["broken-13"] = (0, repo => Commit(Init(repo), Day(3), "empty object", r => { Directory.CreateDirectory(Path.Combine(r, "notebooks")); File.WriteAllText(Path.Combine(r, "notebooks", "demo.ipynb"), "{}"); }));
        c["broken-12"] = (0, repo => Commit(Init(repo), Day(6), "checkpoint only", r => DemoCourse.Save(Solve(released, all), Path.Combine(r, "notebooks", ".ipynb_checkpoints", "demo-checkpoint.ipynb"))));
        return c;
    }

    CliProcess.Result Cli(string dir, params string[] args)
    {
        var r = CliProcess.Run(dir, TimeSpan.FromMinutes(8), args);
        output.WriteLine($"$ ssl-course {string.Join(' ', args)}  -> {r.ExitCode}");
        return r;
    }

    [Fact]
    public async Task A_class_graded_in_parallel_chunks_gives_the_same_class_csv_as_one_sequential_run()
    {
        var total = Stopwatch.StartNew();
        var course = DemoCourse.Create("class");
        var source = Path.Combine(course, "notebooks", "demo.ipynb");
        var releasedDoc = Release.Apply(NotebookDocument.Load(source));
        var released = JsonNode.Parse(releasedDoc.ToJson())!.AsObject();
        foreach (var cell in released["cells"]!.AsArray().Select(c => c!.AsObject()))
            if (cell["source"] is JsonArray lines) cell["source"] = string.Concat(lines.Select(l => l!.GetValue<string>())); // as DemoCourse writes cells
        var remotes = Path.Combine(course, "remotes");
        var students = Class(released, source);
        students.Should().HaveCountGreaterThanOrEqualTo(30);
        foreach (var (name, (_, make)) in students) make(Path.Combine(remotes, name));
        File.WriteAllText(Path.Combine(course, "roster.csv"), "student,repository\n" + string.Join("", students.Keys.Reverse().Select(s => $"{s},{Path.Combine(remotes, s)}\n")));
        output.WriteLine($"{students.Count} repositories made in {total.Elapsed.TotalSeconds:0.0} s");

        // Job 1: the plan.
        var plan = Cli(course, "grade", "--plan", "roster.csv", "--chunk-size", "8");
        plan.ExitCode.Should().Be(0, plan.All);
        var matrix = JsonNode.Parse(plan.Stdout)!["include"]!.AsArray();
        matrix.Should().HaveCount(4);
        int chunks = (int)matrix[0]!["chunks"]!;

        // The chunk jobs, all at once: check out at the deadline, then grade.
        var deadline = Deadline.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var grading = Stopwatch.StartNew();
        var jobs = matrix.Select(m => (int)m!["chunk"]!).Select(k => Task.Run(() =>
        {
            var co = Cli(course, "grade", "--checkout", "roster.csv", "--chunk", $"{k}", "--chunks", $"{chunks}", "--deadline", deadline, "--into", "students");
            if (co.ExitCode != 0) return co;
            return Cli(course, "grade", "--roster", "roster.csv", "--chunk", $"{k}", "--chunks", $"{chunks}", "--repos", "students",
                "--source", "notebooks", "--out", $"results/chunk-{k}", "--cell-timeout", "60", "--timeout", "240", "--memory", "1500");
        })).ToArray();
        var done = await Task.WhenAll(jobs);
        var parallelSeconds = grading.Elapsed.TotalSeconds;
        foreach (var j in done) j.ExitCode.Should().Be(0, j.All);
        var logs = string.Join("\n", done.Select(j => j.All));

        // The last job: the merge.
        var merge = Cli(course, ["grade", "--merge", .. Enumerable.Range(1, chunks).Select(k => $"results/chunk-{k}"), "--roster", "roster.csv", "--out", "class"]);
        merge.ExitCode.Should().Be(0, merge.All);
        merge.Stdout.Should().Contain($"{students.Count} student(s)");

        // One sequential run over the same checkouts.
        grading.Restart();
        var seq = Cli(course, "grade", "--roster", "roster.csv", "--repos", "students", "--source", "notebooks", "--out", "sequential/all",
            "--cell-timeout", "60", "--timeout", "240", "--memory", "1500");
        var sequentialSeconds = grading.Elapsed.TotalSeconds;
        seq.ExitCode.Should().Be(0, seq.All);
        logs += "\n" + seq.All;
        Cli(course, "grade", "--merge", "sequential", "--roster", "roster.csv", "--out", "class-sequential").ExitCode.Should().Be(0);
        output.WriteLine($"grading: 4 parallel chunk processes {parallelSeconds:0.0} s, one sequential process {sequentialSeconds:0.0} s");

        var csv = File.ReadAllText(Path.Combine(course, "class", "grades.csv"));
        File.ReadAllText(Path.Combine(course, "class-sequential", "grades.csv")).Should().Be(csv, "chunks in parallel grade exactly like one sequential run");
        File.ReadAllText(Path.Combine(course, "class-sequential", "summary.md")).Should().Be(File.ReadAllText(Path.Combine(course, "class", "summary.md")));
        output.WriteLine(csv);

        // Every student's total, and the reasons where nothing was graded.
        var rows = new List<string[]>();
        using (var reader = CsvHelper.CsvReader.FromText(csv, new CsvHelper.CsvReaderOptions { Separator = ',', HasHeader = true }))
        {
            reader.Headers.Should().Equal("student", "commit", "demo/double", "demo/sumsq", "demo/evens", "total", "max", "notes");
            while (reader.Read()) rows.Add(reader.Current.ToArray());
        }
        rows.Select(r => r[0]).Should().Equal(students.Keys.Order(StringComparer.Ordinal));
        foreach (var r in rows)
        {
            int.Parse(r[5]).Should().Be(students[r[0]].Total, $"the total of {string.Join(",", r)}");
            r[6].Should().Be("6");
        }
        string Notes(string s) => rows.Single(r => r[0] == s)[7];
        Notes("empty-03").Should().EndWith("has no commits.");
        Notes("empty-04").Should().StartWith("no notebook graded");
        Notes("broken-04").Should().Contain("demo not graded").And.Contain("invalid JSON");
        Notes("broken-05").Should().Be("demo not graded: notebooks/demo.ipynb is a symbolic link, which is not followed; submit the notebook itself");
        Notes("broken-06").Should().StartWith("notebooks/ is a symbolic link");
        Notes("broken-07").Should().Contain("could not clone");
        Notes("broken-08").Should().Contain("none of its 1 commit(s) on the default branch is dated at or before the deadline");
        Notes("broken-09").Should().Contain("not submitted: demo").And.Contain("stranger not graded").And.Contain("no matching source notebook");
        Notes("broken-10").Should().Contain("demo not graded").And.Contain("invalid JSON");
        Notes("broken-13").Should().Contain("demo not graded");
        Notes("empty-08").Should().StartWith("no notebook graded");
        Notes("late-04").Should().Contain("none of its 1 commit(s) on the default branch is dated at or before the deadline");
        Notes("broken-11").Should().Contain("none of its 1 commit(s) on the default branch");
        Notes("broken-12").Should().StartWith("no notebook graded");
        rows.Single(r => r[0] == "broken-02")[1].Should().HaveLength(40, "the commit graded is recorded");

        // Idempotent: merging again, or with a chunk given twice, writes the same bytes.
        Cli(course, ["grade", "--merge", .. Enumerable.Range(1, chunks).Select(k => $"results/chunk-{k}"), "results/chunk-1", "sequential", "--roster", "roster.csv", "--out", "class-again"]).ExitCode.Should().Be(0);
        File.ReadAllText(Path.Combine(course, "class-again", "grades.csv")).Should().Be(csv);

        // No solution text in any result, the class files or the logs (not even the short ones).
        var solutions = ExerciseFormat.Exercises(NotebookDocument.Load(source)).SelectMany(e => ExerciseFormat.Solutions(e.Cell.Source)!).Select(Collapse).ToList();
        solutions.Should().Contain(Collapse(Double));
        foreach (var file in new[] { "results", "sequential", "class" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(course, d), "*", SearchOption.AllDirectories)))
        {
            var text = Collapse(File.ReadAllText(file));
            foreach (var s in solutions) text.Should().NotContain(s, $"{file} must hold no solution");
        }
        foreach (var s in solutions) Collapse(logs).Should().NotContain(s, "the logs must hold no solution");
        output.WriteLine($"end to end in {total.Elapsed.TotalSeconds:0.0} s");
    }

    static string Collapse(string s) => Regex.Replace(s, @"\s+", " ").Trim();
}
