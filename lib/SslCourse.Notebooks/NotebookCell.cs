using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>One cell of a <see cref="NotebookDocument"/>, a view over its JSON.</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, int index)
    {
        Json = json;
        Index = index;
    }

    /// <summary>Creates a detached cell (for assembling notebooks).</summary>
    public static NotebookCell Create(string kind, string source, string? id = null)
    {
        var json = new JsonObject
        {
            ["cell_type"] = kind,
            ["id"] = id ?? Guid.NewGuid().ToString("N")[..8],
            ["metadata"] = new JsonObject(),
            ["source"] = SourceArray(source),
        };
        if (kind == "code")
        {
            json["execution_count"] = null;
            json["outputs"] = new JsonArray();
        }
        return new NotebookCell(json, -1);
    }

    /// <summary>The cell's JSON object (everything the engine does not interpret is kept as is).</summary>
    public JsonObject Json { get; }

    /// <summary>Zero-based position in the notebook.</summary>
    public int Index { get; }

    /// <summary>One-based cell number as a person counts them in an editor.</summary>
    public int Number => Index + 1;

    /// <summary>"code", "markdown" or "raw".</summary>
    public string Kind => Json["cell_type"]?.GetValue<string>() ?? "raw";

    /// <summary>True for a code cell.</summary>
    public bool IsCode => Kind == "code";

    /// <summary>The nbformat cell id, if any.</summary>
    public string? Id => Json["id"]?.GetValue<string>();

    /// <summary>The cell's metadata object (created if absent).</summary>
    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    /// <summary>The kernel the cell runs in, from polyglot or dotnet_interactive metadata; null means the notebook's default.</summary>
    public string? KernelName =>
        Metadata["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Metadata["dotnet_interactive"]?["language"]?.GetValue<string>();

    /// <summary>The source text (nbformat allows a string or a list of lines).</summary>
    public string Source
    {
        get => Json["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
            JsonValue v => v.GetValue<string>(),
            _ => "",
        };
        set => Json["source"] = SourceArray(value);
    }

    /// <summary>The first non-empty line of the source, for messages.</summary>
    public string FirstLine => Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>The cell's tags (metadata.tags).</summary>
    public IReadOnlyList<string> Tags =>
        (Metadata["tags"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? [];

    /// <summary>Outputs of a code cell (created if absent).</summary>
    public JsonArray Outputs => Json["outputs"] as JsonArray ?? (JsonArray)(Json["outputs"] = new JsonArray());

    /// <summary>Removes outputs and the execution count.</summary>
    public void ClearOutputs()
    {
        if (!IsCode) return;
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
    }

    internal static JsonArray SourceArray(string source)
    {
        var array = new JsonArray();
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
            if (line.Length > 0) array.Add(line);
        }
        return array;
    }
}
