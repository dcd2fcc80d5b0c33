using System.Globalization;
using System.Text.Json;
using SslCourse.Models;
using SslCourse.Training;

namespace SslCourse.Pretraining;

/// <summary>
/// Loads an encoder saved by <c>ssl-course pretrain</c> (a <see cref="ConvNet"/> and its manifest). Every failure is
/// an <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>) that names the file and what is
/// wrong: a missing or unreadable manifest, an unknown method, a manifest without the encoder's shape, tensors that
/// do not fit, or weights that are not a readable TorchSharp state.
/// </summary>
public static class PretrainedEncoder
{
    /// <summary>The shipped checkpoints' folder: <c>data/checkpoints/</c>.</summary>
    public static string ShippedDir => Path.Combine(Course.DataDir, "checkpoints");

    /// <summary>The path of a shipped checkpoint, e.g. <c>Shipped("simclr", "toy")</c> -> <c>data/checkpoints/simclr-toy.pt</c>.</summary>
    /// <param name="method">a method name</param>
    /// <param name="dataset">the pre-training dataset</param>
    /// <param name="tag">the <c>--tag</c> of the run, if any (e.g. "1k" for <c>simclr-toy-1k.pt</c>)</param>
    public static string Shipped(string method, string dataset = "toy", string? tag = null) =>
        Path.Combine(ShippedDir, $"{method}-{dataset}{(tag == null ? "" : "-" + tag)}.pt");

    /// <summary>The shipped checkpoints present (weights with a manifest), by file name.</summary>
    public static IReadOnlyList<string> ListShipped() =>
        Directory.Exists(ShippedDir)
            ? Directory.GetFiles(ShippedDir, "*.pt").Where(Checkpoint.Exists).OrderBy(p => p, StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Reads and validates a manifest without loading weights.</summary>
    /// <exception cref="FileNotFoundException">weights or manifest missing</exception>
    /// <exception cref="InvalidDataException">the manifest is not valid JSON or lacks what the loader needs</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"checkpoint weights '{full}' not found.", full);
        CheckpointInfo info;
        try { info = Checkpoint.ReadInfo(full); }
        catch (JsonException e) { throw new InvalidDataException($"checkpoint manifest '{Checkpoint.ManifestPath(full)}' is corrupt (not valid JSON: {e.Message}).", e); }
        if (!PretrainMethods.Names.Contains(info.Method))
            throw new InvalidDataException($"checkpoint '{Path.GetFileName(full)}' was made by an unknown method '{info.Method}' (library {info.LibraryVersion}); this library knows: {string.Join(", ", PretrainMethods.Names)}.");
        if (!info.Config.TryGetValue("in_channels", out var c) || !int.TryParse(c, CultureInfo.InvariantCulture, out _) ||
            !info.Config.TryGetValue("width", out var w) || !double.TryParse(w, CultureInfo.InvariantCulture, out _) ||
            !info.Config.ContainsKey("dataset"))
            throw new InvalidDataException($"checkpoint '{Path.GetFileName(full)}' is incompatible: its manifest (library {info.LibraryVersion}) does not say the encoder's in_channels, width and dataset.");
        return info;
    }

    /// <summary>What the encoder of a checkpoint sees of an image, from its manifest: the lightness for colorization
    /// (<c>"input": "lightness"</c>, <see cref="PretextTraining.Lightness"/>), else the image itself.</summary>
    public static Func<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Input(IReadOnlyDictionary<string, string> config) =>
        config.TryGetValue(InputKey, out var input) && input == LightnessInput ? PretextTraining.Lightness : x => x;

    /// <summary>The manifest key that says what the encoder sees of an image (absent: the image itself).</summary>
    public const string InputKey = "input";

    /// <summary>The <see cref="InputKey"/> value of an encoder that sees the lightness (colorization).</summary>
    public const string LightnessInput = "lightness";

    /// <summary>Builds the encoder the manifest describes and loads the weights into it.</summary>
    /// <param name="path">the weights file (its manifest is <c>path + ".json"</c>)</param>
    /// <returns>the encoder, in eval mode, and the manifest</returns>
    public static (ConvNet Encoder, CheckpointInfo Info) Load(string path)
    {
        var info = ReadInfo(path);
        var full = Path.GetFullPath(path);
        var encoder = new ConvNet(int.Parse(info.Config["in_channels"], CultureInfo.InvariantCulture), double.Parse(info.Config["width"], CultureInfo.InvariantCulture));
        try { Checkpoint.Load(encoder, full); }
        catch (InvalidDataException) { encoder.Dispose(); throw; }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            encoder.Dispose();
            throw new InvalidDataException($"checkpoint weights '{full}' are corrupt or not a TorchSharp state dictionary ({e.GetType().Name}: {e.Message}).", e);
        }
        encoder.eval();
        return (encoder, info);
    }
}
