using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>Thrown for a file that is not a usable notebook; the message names the file and what was expected.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An .ipynb notebook (nbformat 4) held as JSON, so that everything the engine does not touch (cell metadata,
/// tags, ids, kernelspec and polyglot metadata) survives a read-write round trip unchanged.
/// </summary>
public sealed class NotebookDocument
{
    readonly JsonObject _root;

    NotebookDocument(JsonObject root, string path)
    {
        _root = root;
        Path = path;
        Cells = ((JsonArray)root["cells"]!).Select((c, i) => new NotebookCell((JsonObject)c!, i)).ToList();
    }

    /// <summary>The file this notebook was read from (or will be written to).</summary>
    public string Path { get; set; }

    /// <summary>All cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; private set; }

    /// <summary>The notebook-level metadata (kernelspec, language_info, polyglot_notebook).</summary>
    public JsonObject Metadata => _root["metadata"] as JsonObject ?? (JsonObject)(_root["metadata"] = new JsonObject());

    /// <summary>The default kernel of the notebook ("csharp" unless the polyglot metadata says otherwise).</summary>
    public string DefaultKernel =>
        Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
        ?? Metadata["dotnet_interactive"]?["defaultKernelName"]?.GetValue<string>()
        ?? "csharp";

    /// <summary>Reads a notebook; throws <see cref="NotebookFormatException"/> naming the file on any problem.</summary>
    public static NotebookDocument Load(string path)
    {
        if (Directory.Exists(path))
            throw new NotebookFormatException($"{path}: is a folder, expected an .ipynb file.");
        if (!File.Exists(path))
            throw new NotebookFormatException($"{path}: no such file.");
        if (!path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            throw new NotebookFormatException($"{path}: not a notebook (expected a file ending in .ipynb).");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses notebook JSON; <paramref name="path"/> is used in error messages.</summary>
    public static NotebookDocument Parse(string json, string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{path}: invalid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split(" Path:")[0]}", e);
        }
        if (node is not JsonObject root)
            throw new NotebookFormatException($"{path}: expected a JSON object with \"cells\" (nbformat 4), found {node?.GetValueKind().ToString() ?? "null"}.");
        if (root["nbformat"] is JsonValue v && v.TryGetValue<int>(out int major) && major != 4)
            throw new NotebookFormatException($"{path}: nbformat {major} is not supported; expected nbformat 4.");
        if (root["cells"] is not JsonArray cells)
            throw new NotebookFormatException($"{path}: no \"cells\" array; expected an nbformat 4 notebook.");
        if (root["metadata"] is { } meta && meta is not JsonObject)
            throw new NotebookFormatException($"{path}: \"metadata\" is {Kind(meta)}; expected a JSON object.");
        var nbMeta = root["metadata"] as JsonObject;
        Strings(path, "notebook metadata", nbMeta?["polyglot_notebook"]);
        Strings(path, "notebook metadata", (nbMeta?["polyglot_notebook"] as JsonObject)?["kernelInfo"], "defaultKernelName");
        Strings(path, "notebook metadata", nbMeta?["dotnet_interactive"], "defaultKernelName");
        for (int i = 0; i < cells.Count; i++) ValidateCell(path, i + 1, cells[i]);
        root["nbformat"] ??= 4;
        root["nbformat_minor"] ??= 5;
        return new NotebookDocument(root, path);
    }

    /// <summary>Checks the JSON types of the parts of a cell the engine reads; names the file and cell when one is wrong.</summary>
    static void ValidateCell(string path, int number, JsonNode? node)
    {
        string where = $"{path}: cell {number}";
        if (node is not JsonObject cell) throw new NotebookFormatException($"{where} is {Kind(node)}; expected a JSON object.");
        if (cell["cell_type"] is null)
            throw new NotebookFormatException($"{where} has no \"cell_type\"; expected \"code\", \"markdown\" or \"raw\".");
        if (cell["cell_type"] is not JsonValue t || !t.TryGetValue<string>(out var type))
            throw new NotebookFormatException($"{where}: \"cell_type\" is {Kind(cell["cell_type"])}; expected \"code\", \"markdown\" or \"raw\".");
        if (type is not ("code" or "markdown" or "raw"))
            throw new NotebookFormatException($"{where}: \"cell_type\" is \"{type}\"; expected \"code\", \"markdown\" or \"raw\".");
        switch (cell["source"])
        {
            case null: break;
            case JsonValue v when v.TryGetValue<string>(out _): break;
            case JsonArray lines:
                for (int k = 0; k < lines.Count; k++)
                    if (lines[k] is not JsonValue l || !l.TryGetValue<string>(out _))
                        throw new NotebookFormatException($"{where}: \"source\" line {k + 1} is {Kind(lines[k])}; expected a string.");
                break;
            case var other: throw new NotebookFormatException($"{where}: \"source\" is {Kind(other)}; expected a string or a list of strings.");
        }
        if (cell["id"] is { } id && (id is not JsonValue iv || !iv.TryGetValue<string>(out _)))
            throw new NotebookFormatException($"{where}: \"id\" is {Kind(id)}; expected a string.");
        if (cell["outputs"] is { } outputs && outputs is not JsonArray)
            throw new NotebookFormatException($"{where}: \"outputs\" is {Kind(outputs)}; expected a list.");
        if (cell["metadata"] is not { } meta) return;
        if (meta is not JsonObject) throw new NotebookFormatException($"{where}: \"metadata\" is {Kind(meta)}; expected a JSON object.");
        if (meta["tags"] is { } tags)
        {
            if (tags is not JsonArray list || list.Any(x => x is not JsonValue tv || !tv.TryGetValue<string>(out _)))
                throw new NotebookFormatException($"{where}: metadata \"tags\" is {Kind(tags)}; expected a list of strings.");
        }
        Strings(path, $"cell {number} metadata", meta["polyglot_notebook"], "kernelName");
        Strings(path, $"cell {number} metadata", meta["dotnet_interactive"], "language");
        if (meta["ssl_course"] is { } course && course is not JsonObject)
            throw new NotebookFormatException($"{where}: metadata \"ssl_course\" is {Kind(course)}; expected a JSON object.");
    }

    /// <summary>Fails when <paramref name="parent"/> is not an object, or one of <paramref name="keys"/> in it is present and not a string.</summary>
    static void Strings(string path, string what, JsonNode? parent, params string[] keys)
    {
        if (parent == null) return;
        if (parent is not JsonObject o) throw new NotebookFormatException($"{path}: {what}: {parent.GetPath()} is {Kind(parent)}; expected a JSON object.");
        foreach (var k in keys)
            if (o[k] is { } v && (v is not JsonValue sv || !sv.TryGetValue<string>(out _)))
                throw new NotebookFormatException($"{path}: {what}: \"{k}\" is {Kind(v)}; expected a string.");
    }

    static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => v.GetValueKind().ToString().ToLowerInvariant(),
        },
        _ => "unknown",
    };

    /// <summary>A deep copy (for writing an executed or released version without touching this one).</summary>
    public NotebookDocument Clone() => new((JsonObject)_root.DeepClone(), Path);

    /// <summary>Removes every output and execution count.</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells.Where(c => c.IsCode)) cell.ClearOutputs();
    }

    /// <summary>Replaces the cell list (used by release and grade to assemble notebooks).</summary>
    public void SetCells(IEnumerable<NotebookCell> cells)
    {
        var array = new JsonArray();
        foreach (var c in cells) array.Add(c.Json.Parent == null ? c.Json : c.Json.DeepClone());
        _root["cells"] = array;
        Cells = array.Select((c, i) => new NotebookCell((JsonObject)c!, i)).ToList();
    }

    /// <summary>The notebook as indented nbformat JSON with a trailing newline.</summary>
    public string ToJson() => _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    /// <summary>Writes the notebook atomically (temp file, then rename): a reader never sees half a file.</summary>
    public void Save(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        AtomicFile.WriteAllText(full, ToJson());
    }
}

/// <summary>Writes files through a temporary file and a rename, so nothing is ever half-written.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
