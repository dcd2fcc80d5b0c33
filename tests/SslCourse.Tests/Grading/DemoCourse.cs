using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Tests.Grading;

/// <summary>
/// A tiny course laid out like the real one (<c>notebooks/</c> next to <c>lib/</c>, which links to the repository's
/// library) with one source notebook of three exercises: <c>double</c> (2 points, a tensor), <c>sumsq</c> (3 points,
/// a scalar) and <c>evens</c> (1 point, a sequence). Submissions are made from it by editing cells.
/// </summary>
public static class DemoCourse
{
    public const int MaxPoints = 6;

    /// <summary>Creates the course folder; returns it. The source notebook is <c>notebooks/demo.ipynb</c>.</summary>
    public static string Create(string name)
    {
        var root = Repo.TempDir(name);
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        Directory.CreateSymbolicLink(Path.Combine(root, "lib"), Path.Combine(Repo.Root, "lib"));
        Save(Source(), Path.Combine(root, "notebooks", "demo.ipynb"));
        return root;
    }

    public static void Save(JsonObject nb, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, nb.ToJsonString());
    }

    static JsonObject Code(string id, string source, JsonObject? extra = null, params string[] tags)
    {
        var meta = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (extra != null) foreach (var (k, v) in extra) meta[k] = v?.DeepClone();
        if (tags.Length > 0) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        return new JsonObject { ["cell_type"] = "code", ["id"] = id, ["execution_count"] = null, ["metadata"] = meta, ["outputs"] = new JsonArray(), ["source"] = source };
    }

    static JsonObject Exercise(string id, int points, string source) =>
        Code("ex-" + id, source, new JsonObject { ["ssl_course"] = new JsonObject { ["exercise"] = id, ["points"] = points } }, "exercise");

    static JsonObject CheckCell(string id, int points, string source) =>
        Code("check-" + id, source, new JsonObject { ["ssl_course"] = new JsonObject { ["check"] = id, ["points"] = points }, ["editable"] = false, ["deletable"] = false }, "check");

    /// <summary>The instructor's source notebook (with solutions).</summary>
    public static JsonObject Source() => new()
    {
        ["cells"] = new JsonArray
        {
            Code("setup", "// Setup (do not edit): loads the course library, seeds, prints the environment.\n// After rebuilding the library (dotnet build), restart the kernel to pick it up.\n#r \"../lib/SslCourse/bin/TorchSharp.dll\"\n#r \"../lib/SslCourse/bin/SslCourse.dll\"\nSslCourse.Course.Setup(seed: 0);"),
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "title", ["metadata"] = new JsonObject(), ["source"] = "# Demo: three small exercises" },
            Code("usings", "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing TorchSharp;\nusing static TorchSharp.torch;"),
            Exercise("double", 2, "// EXERCISE double (2 points): double every entry of a tensor\nTensor DoubleIt(Tensor x)\n{\n    // BEGIN SOLUTION\n    return x * 2;\n    // END SOLUTION\n}"),
            CheckCell("double", 2, "// CHECK double (locked: do not edit)\nvar gDouble = global::SslCourse.Course.Generator(1);\nvar xDouble = global::TorchSharp.torch.randn(new long[] { 3, 4 }, generator: gDouble);\nglobal::SslCourse.Exercises.Check.Exercise(\"double\")\n    .Tensor(\"doubling a [3, 4] tensor\", () => DoubleIt(xDouble), () => global::TorchSharp.torch.mul(xDouble, 2.0), hint: \"multiply by 2 and keep the shape.\")\n    .Done()"),
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "between", ["metadata"] = new JsonObject(), ["source"] = "Later cells use the library, not your code." },
            Code("later", "var later = global::TorchSharp.torch.ones(3).sum().item<float>();\nConsole.WriteLine($\"later cells use the library: {later}\");"),
            Exercise("sumsq", 3, "// EXERCISE sumsq (3 points): sum of squares\ndouble SumOfSquares(double[] xs)\n{\n    // BEGIN SOLUTION\n    return xs.Sum(v => v * v);\n    // END SOLUTION\n}"),
            CheckCell("sumsq", 3, "// CHECK sumsq (locked: do not edit)\nglobal::SslCourse.Exercises.Check.Exercise(\"sumsq\")\n    .Scalar(\"sum of squares of [1, 2, 3]\", () => SumOfSquares(new[] { 1.0, 2.0, 3.0 }), 14.0)\n    .Scalar(\"sum of squares of []\", () => SumOfSquares(new double[0]), 0.0, hint: \"an empty sum is 0.\")\n    .Done()"),
            Exercise("evens", 1, "// EXERCISE evens (1 points): the even numbers below n\nIEnumerable<int> Evens(int n)\n{\n    // BEGIN SOLUTION\n    return Enumerable.Range(0, n).Where(i => i % 2 == 0);\n    // END SOLUTION\n}"),
            CheckCell("evens", 1, "// CHECK evens (locked: do not edit)\nglobal::SslCourse.Exercises.Check.Exercise(\"evens\")\n    .Sequence(\"evens below 7\", () => Evens(7), new[] { 0, 2, 4, 6 })\n    .True(\"evens below 0\", () => !Evens(0).Any(), \"expected no numbers for n = 0\")\n    .Done()"),
            Code("end", "Console.WriteLine(\"the end\");"),
        },
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }) } },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    static JsonObject CellById(JsonObject nb, string id) =>
        nb["cells"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["id"]!.GetValue<string>() == id);

    /// <summary>A copy of <paramref name="nb"/> whose exercise <paramref name="id"/> has <paramref name="code"/> between the markers.</summary>
    public static JsonObject WithSolution(JsonObject nb, string id, string code)
    {
        var copy = nb.DeepClone().AsObject();
        var cell = CellById(copy, "ex-" + id);
        cell["source"] = ExerciseFormat.ReplaceSolutions(SourceOf(cell), (_, indent) => indent + code.Replace("\n", "\n" + indent));
        return copy;
    }

    /// <summary>The code between the markers of exercise <paramref name="id"/> in <paramref name="nb"/> (one region).</summary>
    public static string SolutionOf(JsonObject nb, string id) =>
        string.Join("\n", ExerciseFormat.Solutions(SourceOf(CellById(nb, "ex-" + id)))![0].Split('\n').Select(l => l.Trim()));

    /// <summary>A cell's source, stored as one string or (as the engine writes it) a list of lines.</summary>
    static string SourceOf(JsonObject cell) =>
        cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string)l!)) : cell["source"]!.GetValue<string>();

    /// <summary>A copy with cell <paramref name="cellId"/>'s source replaced.</summary>
    public static JsonObject WithCellSource(JsonObject nb, string cellId, string source)
    {
        var copy = nb.DeepClone().AsObject();
        CellById(copy, cellId)["source"] = source;
        return copy;
    }

    /// <summary>A copy without cell <paramref name="cellId"/>.</summary>
    public static JsonObject Without(JsonObject nb, string cellId)
    {
        var copy = nb.DeepClone().AsObject();
        var cells = copy["cells"]!.AsArray();
        cells.Remove(CellById(copy, cellId));
        return copy;
    }
}
