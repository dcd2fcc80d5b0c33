using FluentAssertions;
using SslCourse.Exercises;
using Xunit;

namespace SslCourse.Tests.Exercises;

/// <summary>The Roslyn analysis of solution regions, as <c>ssl-course grade</c> runs it (compiling a notebook's cells
/// as the kernel's chain of submissions, against the built library): the reference reached by any name, the
/// deny-list, and the vectorised rule; a clean solution passes.</summary>
public class SolutionAnalyzerTests
{
    const string Setup = "#r \"../lib/SslCourse/bin/TorchSharp.dll\"\n#r \"../lib/SslCourse/bin/SslCourse.dll\"\nSslCourse.Course.Setup(seed: 0);";
    const string Usings = "using System;\nusing System.Linq;\nusing TorchSharp;\nusing static TorchSharp.torch;\nusing static TorchSharp.torch.nn.functional;\nusing SslCourse.Losses;";
    const string Check = "global::SslCourse.Exercises.Check.Exercise(\"ntxent\").Forbid(\"SslCourse.Losses.NtXent\")\n    .Tensor(\"loss\", () => MyLoss(a, b), () => global::SslCourse.Losses.NtXent.Loss(a, b, 0.5))\n    .Done()";
    const string VectorisedCheck = "global::SslCourse.Exercises.Check.Exercise(\"ntxent\").Forbid(\"SslCourse.Losses.NtXent\").Vectorised()\n    .Tensor(\"loss\", () => MyLoss(a, b), () => global::SslCourse.Losses.NtXent.Loss(a, b, 0.5))\n    .Done()";

    const string Own = """
        long n = za.shape[0];
        var z = normalize(cat(new[] { za, zb }, 0), dim: 1);
        var sim = z.matmul(z.T) / t;
        sim = sim.masked_fill(eye(2 * n, dtype: ScalarType.Bool), double.NegativeInfinity);
        return cross_entropy(sim, cat(new[] { arange(n, 2 * n), arange(0, n) }, 0));
        """;

    static string Exercise(string body) =>
        "// EXERCISE ntxent (2 points): NT-Xent\nTensor MyLoss(Tensor za, Tensor zb, double t)\n{\n    // BEGIN SOLUTION\n" + body + "\n    // END SOLUTION\n}";

    static string? Analyze(string body, string check = Check, params string[] extraCells)
    {
        var cells = new List<string> { Setup, Usings };
        cells.AddRange(extraCells);
        cells.Add(Exercise(body));
        var verdicts = SolutionAnalyzer.AnalyzeCells(cells, Repo.Notebooks, [(cells.Count - 1, "ntxent", check)]);
        return verdicts.TryGetValue("ntxent", out var m) ? m : null;
    }

    [Fact]
    public void A_solution_written_by_hand_is_clean() => Analyze(Own).Should().BeNull();

    [Theory]
    [InlineData("return global::SslCourse.Losses.NtXent.Loss(za, zb, t);", "fully qualified with global::")]
    [InlineData("return SslCourse.Losses.NtXent.Loss(za, zb, t);", "fully qualified")]
    [InlineData("return NtXent.Loss(za, zb, t);", "through the notebook's using")]
    [InlineData("Func<Tensor, Tensor, double, Tensor> f = NtXent.Loss; return f(za, zb, t);", "as a method group")]
    public void The_reference_is_rejected_by_any_name(string body, string how)
    {
        Analyze(body).Should().Be("your solution calls SslCourse.Losses.NtXent.Loss, the reference implementation (SslCourse.Losses.NtXent): write it yourself.", how);
    }

    [Fact]
    public void The_reference_is_rejected_through_an_alias_a_using_static_and_a_helper_cell()
    {
        Analyze("return R.Loss(za, zb, t);", Check, "using R = SslCourse.Losses.NtXent;")
            .Should().StartWith("your solution calls SslCourse.Losses.NtXent.Loss, the reference implementation");
        Analyze("return Loss(za, zb, t);", Check, "using static SslCourse.Losses.NtXent;")
            .Should().StartWith("your solution calls SslCourse.Losses.NtXent.Loss, the reference implementation");
        Analyze("return Helper(za, zb, t);", Check, "Tensor Helper(Tensor a, Tensor b, double t) => global::SslCourse.Losses.NtXent.Loss(a, b, t);")
            .Should().Be("your solution calls SslCourse.Losses.NtXent.Loss (through Helper, which your solution calls), the reference implementation (SslCourse.Losses.NtXent): write it yourself.");
    }

    [Theory]
    [InlineData("var m = typeof(NtXent).GetMethod(\"Loss\")!; return (Tensor)m.Invoke(null, new object[] { za, zb, t })!;", "(reflection)")]
    [InlineData("var m = Type.GetType(\"SslCourse.Losses.NtXent, SslCourse\"); return za;", "System.Type (reflection)")]
    [InlineData("var asm = System.Reflection.Assembly.LoadFrom(\"x.dll\"); return za;", "System.Reflection.Assembly (reflection)")]
    [InlineData("var x = Activator.CreateInstance(typeof(object)); return za;", "System.Activator.CreateInstance (reflection)")]
    [InlineData("dynamic d = za; return d;", "dynamic")]
    [InlineData("System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/x.dll\"); return za;", "(assembly loading)")]
    [InlineData("System.Runtime.InteropServices.Marshal.AllocHGlobal(8); return za;", "(native interop)")]
    [InlineData("unsafe { int* p = null; } return za;", "unsafe code")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\"); return za;", "(processes)")]
    [InlineData("var s = System.IO.File.ReadAllText(\"/etc/passwd\"); return za;", "System.IO.File.ReadAllText (file I/O)")]
    [InlineData("using var c = new System.Net.Http.HttpClient(); return za;", "System.Net.Http.HttpClient (network I/O)")]
    [InlineData("Environment.Exit(0); return za;", "System.Environment.Exit (ending the process)")]
    [InlineData("Microsoft.DotNet.Interactive.Formatting.Formatter.Register<Tensor>(x => \"ok\"); return za;", "(the notebook kernel and its formatter registration)")]
    [InlineData("return (Tensor)(object)new global::SslCourse.Exercises.CheckResult(\"ntxent\", true, \"✓\");", "(the check API)")]
    [InlineData("torch.save(za, \"/tmp/x\"); return za;", "TorchSharp.torch.save (file I/O)")]
    public void The_deny_list_applies_to_every_solution(string body, string named)
    {
        Analyze(body).Should().NotBeNull().And.Contain(named).And.StartWith("your solution");
    }

    [Theory]
    [InlineData("var total = zeros(1); for (int i = 0; i < 4; i++) total = total + i; return total;", "a for loop")]
    [InlineData("var total = zeros(1); foreach (var i in new[] { 1, 2 }) total = total + i; return total;", "a foreach loop")]
    [InlineData("return stack(Enumerable.Range(0, 4).Select(i => za[i].sum()).ToArray()).mean();", "System.Linq.Enumerable")]
    [InlineData("return Looped(za, zb, t);", "a for loop (through Looped")]
    [InlineData("return za.shape[0] == 0 ? za : MyLoss(za[1..], zb[1..], t);", "recursively")]
    public void A_vectorised_exercise_rejects_loops_in_every_disguise(string body, string named)
    {
        var loop = "Tensor Looped(Tensor a, Tensor b, double t) { var s = zeros(1); for (int i = 0; i < a.shape[0]; i++) s = s + a[i].sum(); return s; }";
        Analyze(body, VectorisedCheck, loop).Should().NotBeNull().And.Contain(named);
        Analyze(Own, VectorisedCheck, loop).Should().BeNull("the vectorised solution has no loop");
        Analyze(body.Replace("MyLoss", "Looped"), Check, loop).Should().NotContain("loop", "without Vectorised() loops are allowed");
    }

    [Fact]
    public void The_rules_are_read_from_the_check_cell()
    {
        var rules = SolutionAnalyzer.RulesIn(VectorisedCheck);
        rules.Symbols.Should().Equal("SslCourse.Losses.NtXent");
        rules.Vectorised.Should().BeTrue();
        SolutionAnalyzer.RulesIn(Check).Vectorised.Should().BeFalse();
    }
}

/// <summary>Every notebook's own solutions pass the analysis (no false alarm from the references its checks forbid or
/// from the deny-list): read without running anything, so this runs in seconds.</summary>
public class NotebookSolutionAnalysisTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)) data.Add(f!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_instructors_solutions_pass_the_analysis(string notebook)
    {
        var doc = SslCourse.Notebooks.NotebookDocument.Load(Path.Combine(Repo.Notebooks, notebook));
        var code = doc.Cells.Where(c => c.IsCode).ToList();
        var exercises = SslCourse.Notebooks.ExerciseFormat.Exercises(doc).Select(e => (code.IndexOf(e.Cell), e.Id, e.CheckCell!.Source)).ToList();
        var errors = new List<string>();
        SolutionAnalyzer.Diagnostics = errors.Add;
        IReadOnlyDictionary<string, string> verdicts;
        try { verdicts = SolutionAnalyzer.AnalyzeCells(code.Select(c => c.Source).ToList(), Repo.Notebooks, exercises); }
        finally { SolutionAnalyzer.Diagnostics = null; }
        errors.Should().BeEmpty($"every code cell of {notebook} compiles as the kernel compiles it");
        verdicts.Should().BeEmpty($"the solutions in {notebook} are the instructor's own");
    }
}
