using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>One tensor of a saved state: its name and shape.</summary>
public sealed record TensorEntry(string Name, long[] Shape);

/// <summary>What a checkpoint holds besides its weights: how it was made and how well it did.</summary>
public sealed record CheckpointInfo
{
    /// <summary>The method (e.g. "simclr", "rotation", "supervised").</summary>
    public required string Method { get; init; }
    /// <summary>The module's architecture (its type name unless given, e.g. "ConvNet(width=1)").</summary>
    public string Architecture { get; init; } = "";
    /// <summary>Hyperparameters (batch size, temperature, learning rate...).</summary>
    public Dictionary<string, string> Config { get; init; } = [];
    /// <summary>The data it was trained on (name, size, seed).</summary>
    public string Data { get; init; } = "";
    /// <summary>The seed of the run.</summary>
    public int Seed { get; init; }
    /// <summary>The budget (steps, epochs, minutes) that produced it.</summary>
    public string Budget { get; init; } = "";
    /// <summary>Measured results (kNN and probe accuracy, final loss...).</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];
    /// <summary>The library version that wrote it (filled in on save).</summary>
    public string LibraryVersion { get; init; } = "";
    /// <summary>When it was written (UTC, filled in on save).</summary>
    public DateTime CreatedUtc { get; init; }
    /// <summary>Names and shapes of every saved tensor (filled in on save; checked on load).</summary>
    public List<TensorEntry> Tensors { get; init; } = [];
}

/// <summary>
/// Saves and loads a module's weights (TorchSharp's format) with a JSON manifest beside them (<c>path + ".json"</c>).
/// Both files are written to a temporary name and then moved into place, so a crash never leaves half a checkpoint.
/// Loading compares the manifest's tensor names and shapes with the module first and names every mismatch.
/// </summary>
public static class Checkpoint
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The manifest's path for a weights file.</summary>
    public static string ManifestPath(string path) => path + ".json";

    /// <summary>True when both the weights and the manifest exist.</summary>
    public static bool Exists(string path) => File.Exists(path) && File.Exists(ManifestPath(path));

    /// <summary>Writes the weights of <paramref name="module"/> to <paramref name="path"/> and the manifest beside them.</summary>
    /// <returns>the manifest as written (with version, time and tensor list filled in)</returns>
    public static CheckpointInfo Save(nn.Module module, string path, CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var written = info with
        {
            Architecture = info.Architecture is { Length: > 0 } a ? a : module.GetType().Name,
            LibraryVersion = Course.Version,
            CreatedUtc = DateTime.UtcNow,
            Tensors = Describe(module),
        };
        var tmpWeights = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var tmpManifest = ManifestPath(full) + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            module.save(tmpWeights);
            File.WriteAllText(tmpManifest, JsonSerializer.Serialize(written, Json));
            File.Move(tmpWeights, full, overwrite: true);
            File.Move(tmpManifest, ManifestPath(full), overwrite: true);
        }
        finally
        {
            if (File.Exists(tmpWeights)) File.Delete(tmpWeights);
            if (File.Exists(tmpManifest)) File.Delete(tmpManifest);
        }
        return written;
    }

    /// <summary>Reads a checkpoint's manifest.</summary>
    /// <exception cref="FileNotFoundException">the manifest is missing</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        var manifest = ManifestPath(Path.GetFullPath(path));
        if (!File.Exists(manifest)) throw new FileNotFoundException($"checkpoint manifest '{manifest}' not found.", manifest);
        return JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllText(manifest), Json)
               ?? throw new InvalidDataException($"checkpoint manifest '{manifest}' is empty.");
    }

    /// <summary>Loads the weights at <paramref name="path"/> into <paramref name="module"/> after checking that every
    /// tensor name and shape agrees.</summary>
    /// <returns>the checkpoint's manifest</returns>
    /// <exception cref="InvalidDataException">the architectures differ; the message names the mismatching tensors</exception>
    public static CheckpointInfo Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"checkpoint weights '{full}' not found.", full);
        var info = ReadInfo(full);
        var problems = Compare(info.Tensors, Describe(module));
        if (problems.Count > 0)
            throw new InvalidDataException(
                $"checkpoint '{Path.GetFileName(full)}' ({info.Method}, {info.Architecture}) does not fit this {module.GetType().Name}: " +
                string.Join("; ", problems.Take(8)) + (problems.Count > 8 ? $"; and {problems.Count - 8} more" : "") + ".");
        module.load(full);
        return info;
    }

    /// <summary>The names and shapes of a module's state (parameters and buffers).</summary>
    public static List<TensorEntry> Describe(nn.Module module) =>
        module.state_dict().Select(kv => new TensorEntry(kv.Key, kv.Value.shape.ToArray())).ToList();

    static List<string> Compare(List<TensorEntry> saved, List<TensorEntry> mine)
    {
        var problems = new List<string>();
        var theirs = saved.ToDictionary(t => t.Name);
        var ours = mine.ToDictionary(t => t.Name);
        foreach (var t in mine)
        {
            if (!theirs.TryGetValue(t.Name, out var s)) problems.Add($"'{t.Name}' is missing from the checkpoint");
            else if (!s.Shape.SequenceEqual(t.Shape)) problems.Add($"'{t.Name}' has shape [{string.Join(", ", s.Shape)}] in the checkpoint but [{string.Join(", ", t.Shape)}] here");
        }
        foreach (var s in saved)
            if (!ours.ContainsKey(s.Name)) problems.Add($"'{s.Name}' is in the checkpoint but not in this module");
        return problems;
    }
}
