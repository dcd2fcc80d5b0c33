using System.Text.Json.Nodes;

namespace SslCourse.Tests.Engine;

/// <summary>Writes small notebooks for engine tests.</summary>
public static class TestNotebooks
{
    /// <summary>A first cell that loads the built course library by full path and runs its setup (seed 0).</summary>
    public static string LibrarySetup() =>
        $"#r \"{Path.Combine(Repo.Root, "lib", "SslCourse", "bin", "TorchSharp.dll")}\"\n" +
        $"#r \"{Path.Combine(Repo.Root, "lib", "SslCourse", "bin", "SslCourse.dll")}\"\n" +
        "SslCourse.Course.Setup(seed: 0);";

    /// <summary>An nbformat 4 C# notebook with the given code cells (a markdown title first).</summary>
    public static string Write(string dir, string name, params string[] codeCells)
    {
        var cells = new JsonArray
        {
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "title", ["metadata"] = new JsonObject(), ["source"] = "# " + name },
        };
        for (int i = 0; i < codeCells.Length; i++)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code", ["id"] = $"code{i + 1}", ["execution_count"] = null, ["outputs"] = new JsonArray(),
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["source"] = codeCells[i],
            });
        var nb = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp" } },
            },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }
}
