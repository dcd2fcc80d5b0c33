using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FluentAssertions;
using Xunit;

namespace SslCourse.Tests.Grading;

/// <summary>
/// One folder run of <c>ssl-course grade</c> (bubblewrap sandboxes) with a submission per attack class of issue 20,
/// a correct submission before them and another after them; each test reads its part of the results. The run uses
/// <c>--no-solution-analysis</c> so that every attack actually runs and the sandbox and the verdict from evidence are
/// tested alone; the analysis, which would reject most of these solutions before they run, has its own tests
/// (SolutionAnalyzerTests, SolutionRulesAndQuestionsTests).
/// </summary>
public sealed class AttackRun
{
    public string Course { get; }
    public string Grades { get; }
    public string Source { get; }
    public CliProcess.Result Result { get; }
    public string Marker { get; } = "ssl-course-escape-" + Guid.NewGuid().ToString("N")[..12];
    public string Secret { get; } = "grader-secret-" + Guid.NewGuid().ToString("N")[..12];
    public string AppDir { get; } = AppContext.BaseDirectory.TrimEnd('/');
    public (string Before, string After) RuntimeConfig { get; }
    public Dictionary<string, string> CacheBefore { get; }
    public Dictionary<string, string> CacheAfter { get; }
    /// <summary>Processes whose command line holds <see cref="Marker"/>, seconds after grading ended.</summary>
    public List<string> Survivors { get; }

    public AttackRun()
    {
        SandboxTool.Require();
        Course = DemoCourse.Create("attacks");
        Source = Path.Combine(Course, "notebooks", "demo.ipynb");
        Grades = Path.Combine(Course, "grades");
        var subs = Path.Combine(Course, "submissions");
        var solved = DemoCourse.Source();
        foreach (var (name, nb) in Submissions(solved)) DemoCourse.Save(nb, Path.Combine(subs, name + ".ipynb"));
        DemoCourse.Save(solved, Path.Combine(subs, "=cmd", "demo.ipynb"));
        var config = Path.Combine(AppDir, "ssl-course.runtimeconfig.json");
        var before = File.ReadAllText(config);
        CacheBefore = CacheHashes();
        Result = CliProcess.Run(Course, TimeSpan.FromMinutes(15), new Dictionary<string, string> { ["SSL_COURSE_TEST_SECRET"] = Secret },
            "grade", subs, "--source", Path.Combine(Course, "notebooks"), "--out", Grades, "--cell-timeout", "60", "--timeout", "300", "--memory", "2000", "--no-solution-analysis");
        Thread.Sleep(6000); // longer than the escaped process waits before it would rewrite a result
        Survivors = Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline"))
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains(Marker, StringComparison.Ordinal)).ToList();
        RuntimeConfig = (before, File.ReadAllText(config));
        CacheAfter = CacheHashes();
    }

    static Dictionary<string, string> CacheHashes()
    {
        var root = SslCourse.Native.TorchLoader.CacheRoot;
        if (!Directory.Exists(root)) return [];
        return Directory.GetFiles(root, "*.so", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
    }

    Dictionary<string, JsonObject> Submissions(JsonObject solved) => new()
    {
        ["correct"] = solved,
        // Forged records: "passed" check records and evidence claiming a pass, written before and after the real ones.
        ["forges"] = DemoCourse.WithSolution(solved, "double", """
            var raw = Console.OpenStandardOutput();
            void Send(string json) { var b = System.Text.Encoding.ASCII.GetBytes("\nSSLREC2 " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)) + "\n"); lock (raw) { raw.Write(b); raw.Flush(); } }
            void ForgeAll()
            {
                foreach (var c in new[] { 5 }) // the check cell of 'double'
                {
                    Send("{\"kind\":\"check\",\"cell\":" + c + ",\"check\":\"double\",\"status\":\"Passed\",\"hasResult\":true,\"passed\":true,\"message\":\"forged pass\"}");
                    Send("{\"kind\":\"evidence\",\"cell\":" + c + ",\"evidence\":{\"exercise\":\"double\",\"part\":0,\"what\":\"x\",\"kind\":\"true\",\"rtol\":1e9,\"atol\":1e9,\"student\":{\"shape\":[3,4],\"dtype\":\"float32\",\"values\":[0,0,0,0,0,0,0,0,0,0,0,0],\"truth\":true}}}");
                }
                Send("{\"kind\":\"done\"}");
            }
            ForgeAll();
            System.Threading.Tasks.Task.Run(() => { System.Threading.Thread.Sleep(1500); ForgeAll(); });
            return x * 3;
            """),
        // A formatter registered from the solution flips the check result's Passed field before the worker reads it.
        ["formatter"] = DemoCourse.WithSolution(solved, "double", """
            global::Microsoft.DotNet.Interactive.Formatting.Formatter.Register<global::SslCourse.Exercises.CheckResult>((r, w) =>
            {
                typeof(global::SslCourse.Exercises.CheckResult).GetField("<Passed>k__BackingField", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.SetValue(r, true);
                w.Write("passed");
            }, "text/html");
            return x * 3;
            """),
        // setsid: a process that leaves the worker's tree, waits, then rewrites this submission's results.
        ["escapes"] = DemoCourse.WithSolution(solved, "double", $$"""
            System.Diagnostics.Process.Start("setsid", new[] { "sh", "-c", "sleep 600; echo {{Marker}}" });
            System.Diagnostics.Process.Start("setsid", new[] { "sh", "-c", "sleep 3; echo forged > '{{Grades}}/escapes.json'; echo forged > '{{Grades}}/grades.csv'; echo {{Marker}}" });
            try { System.IO.File.WriteAllText("{{Grades}}/escapes.md", "forged"); } catch { }
            return x * 2;
            """),
        // Writing the grader's program, the library and the native cache that later submissions load.
        ["writes-bin"] = DemoCourse.WithSolution(solved, "double", $$"""
            foreach (var f in new[] { "/course/app/ssl-course.runtimeconfig.json", "/course/app/ssl-course.dll", "../lib/SslCourse/bin/SslCourse.dll", "{{AppDir}}/ssl-course.runtimeconfig.json" })
                try { System.IO.File.WriteAllText(f, "{}"); } catch { }
            try
            {
                foreach (var f in System.IO.Directory.GetFiles("/course/cache", "*.so", System.IO.SearchOption.AllDirectories))
                    try { System.IO.File.WriteAllBytes(f, new byte[new System.IO.FileInfo(f).Length]); } catch { }
            }
            catch { }
            return x * 2;
            """),
        // Reading the grader's environment, the parent's /proc entries and the instructor's notebooks.
        ["leaks"] = DemoCourse.WithSolution(DemoCourse.WithSolution(solved, "sumsq", "return xs.Select(v => v * v).Sum();"), "double", $$"""
            var needles = new[] { "{{Secret[..10]}}" + "{{Secret[10..]}}", "xs.Sum(v " + "=> v * v)" };
            var found = new List<string>();
            void Look(string where, string text) { foreach (var n in needles) if (text.Contains(n)) found.Add(where); }
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) Look("env " + e.Key, e.Key + "=" + e.Value);
            foreach (var d in System.IO.Directory.GetDirectories("/proc"))
                foreach (var f in new[] { "environ", "cmdline" })
                    try { Look(d + "/" + f, System.IO.File.ReadAllText(d + "/" + f)); } catch { }
            foreach (var root in new[] { "/course", "/tmp", "/proc/1/root/tmp", "{{Path.GetDirectoryName(Source)}}" })
                try { foreach (var f in System.IO.Directory.EnumerateFiles(root, "*.ipynb", System.IO.SearchOption.AllDirectories)) try { Look(f, System.IO.File.ReadAllText(f)); } catch { } } catch { }
            try { Look("source", System.IO.File.ReadAllText("{{Source}}")); } catch { }
            if (found.Count > 0) throw new Exception("LEAK " + string.Join(", ", found));
            return x * 2;
            """),
        ["zzz-after"] = solved,
    };

    public JsonObject Json(string label) => JsonNode.Parse(File.ReadAllText(Path.Combine(Grades, label + ".json")))!.AsObject();
    public int Score(string label) => (int)Json(label)["score"]!;
    public string Why(string label) => Json(label).ToJsonString() + "\n" + Result.All;
    public string Message(string label, string exercise) =>
        (string)Json(label)["exercises"]!.AsArray().Single(e => (string)e!["exercise"]! == exercise)!["message"]!;
}

/// <summary>The attack classes of issue 20, each defended (see <see cref="AttackRun"/>).</summary>
public class SandboxAttackTests(AttackRun run) : IClassFixture<AttackRun>
{
    [Fact]
    public void The_run_grades_every_submission()
    {
        run.Result.ExitCode.Should().Be(0, run.Result.All);
        run.Score("correct").Should().Be(DemoCourse.MaxPoints, run.Why("correct"));
    }

    [Fact]
    public void Forged_records_earn_nothing_the_students_values_do_not()
    {
        run.Score("forges").Should().Be(4, run.Why("forges"));
        // The points come from the verdict on the evidence; the message is the check's own where it agrees, and the
        // check cell's own analysis (in the sandbox) names the stream the forger opened.
        run.Message("forges", "double").Should().Match(m => m.Contains("values differ") || m.Contains("your solution uses System.Console.OpenStandardOutput"));
    }

    [Fact]
    public void A_formatter_that_flips_the_result_after_the_check_earns_nothing()
    {
        run.Score("formatter").Should().Be(4, run.Why("formatter"));
        run.Message("formatter", "double").Should().Contain("values differ from the grader's reference");
    }

    [Fact]
    public void A_setsid_process_neither_outlives_its_grading_nor_rewrites_results()
    {
        run.Survivors.Should().BeEmpty("nothing a submission starts outlives its grading");
        run.Score("escapes").Should().Be(6, run.Why("escapes"));
        run.Json("escapes")["schema"]!.GetValue<string>().Should().Be("ssl-course-grade/1");
        File.ReadAllText(Path.Combine(run.Grades, "escapes.md")).Should().StartWith("## demo: 6 / 6 points");
        File.ReadAllText(Path.Combine(run.Grades, "grades.csv")).Should().StartWith("student,");
    }

    [Fact]
    public void Shared_program_library_and_native_cache_files_cannot_be_written()
    {
        run.RuntimeConfig.After.Should().Be(run.RuntimeConfig.Before);
        run.CacheAfter.Should().Equal(run.CacheBefore);
        run.Score("writes-bin").Should().Be(6, run.Why("writes-bin"));
    }

    [Fact]
    public void The_graders_environment_parent_proc_entries_and_instructor_notebooks_are_out_of_reach()
    {
        run.Score("leaks").Should().Be(6, run.Why("leaks"));
        run.Json("leaks").ToJsonString().Should().NotContain("LEAK");
    }

    [Fact]
    public void One_attacking_submission_leaves_the_others_results_unchanged()
    {
        run.Json("zzz-after")["exercises"]!.ToJsonString().Should().Be(run.Json("correct")["exercises"]!.ToJsonString());
        var csv = File.ReadAllLines(Path.Combine(run.Grades, "grades.csv"));
        csv.Should().Contain("correct,2,3,1,6,6").And.Contain("zzz-after,2,3,1,6,6").And.Contain("forges,0,3,1,4,6").And.Contain("formatter,0,3,1,4,6");
    }

    [Fact]
    public void A_student_name_that_looks_like_a_formula_is_neutralised_in_the_csv()
    {
        File.ReadAllLines(Path.Combine(run.Grades, "grades.csv")).Should().Contain("\"'=cmd\",2,3,1,6,6");
    }
}
