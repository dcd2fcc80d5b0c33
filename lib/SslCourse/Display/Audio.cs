using System.Globalization;
using System.Net;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>
/// A sound to listen to in a notebook: mono samples in -1..1 at a sample rate. Shows as an HTML
/// <c>&lt;audio controls&gt;</c> player whose source is the WAV file inline (<c>data:audio/wav;base64,...</c>), with a
/// one-line text/plain description beside it (what terminals and GitHub's viewer fall back to).
/// </summary>
/// <example><code>Audio.From(waveform, sampleRate: 16000, title: "augmented view")</code></example>
public sealed class Audio
{
    readonly float[] _samples;

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>Optional title shown above the player.</summary>
    public string? Title { get; }

    /// <summary>A sound from <paramref name="samples"/> (clipped to -1..1 when written) at <paramref name="sampleRate"/> Hz.</summary>
    public Audio(IReadOnlyList<float> samples, int sampleRate, string? title = null)
    {
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (samples.Count == 0) throw new ArgumentException("samples: the sound is empty.", nameof(samples));
        _samples = samples.ToArray();
        SampleRate = sampleRate;
        Title = title;
    }

    /// <summary>A sound from a tensor [T] or [1, T] of samples in -1..1.</summary>
    public static Audio From(Tensor samples, int sampleRate, string? title = null)
    {
        if (samples.numel() == 0 || samples.dim() > 2 || (samples.dim() == 2 && samples.shape[0] != 1))
            throw new ArgumentException($"samples: expected [T] or [1, T], got [{string.Join(",", samples.shape)}].", nameof(samples));
        using var scope = NewDisposeScope();
        return new Audio(samples.detach().cpu().reshape(-1).to_type(ScalarType.Float32).data<float>().ToArray(), sampleRate, title);
    }

    /// <summary>Number of samples.</summary>
    public int Length => _samples.Length;

    /// <summary>Duration in seconds.</summary>
    public double Seconds => _samples.Length / (double)SampleRate;

    /// <summary>The sound as a 16-bit PCM mono WAV file.</summary>
    public byte[] ToWav()
    {
        using var stream = new MemoryStream(44 + 2 * _samples.Length);
        using var w = new BinaryWriter(stream);
        int dataBytes = 2 * _samples.Length;
        w.Write("RIFF"u8); w.Write(36 + dataBytes); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); // PCM, mono
        w.Write(SampleRate); w.Write(SampleRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(dataBytes);
        foreach (var s in _samples) w.Write((short)Math.Round(Math.Clamp(float.IsFinite(s) ? s : 0f, -1f, 1f) * short.MaxValue));
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>Writes the WAV file to <paramref name="path"/>.</summary>
    public void SaveWav(string path) => File.WriteAllBytes(path, ToWav());

    /// <summary>The HTML player with the WAV inline.</summary>
    public string ToHtml()
    {
        var title = Title == null ? "" : $"<div style=\"font-weight:bold\">{WebUtility.HtmlEncode(Title)}</div>";
        return $"<div class=\"ssl-course-audio\">{title}<audio controls preload=\"auto\" src=\"data:audio/wav;base64,{Convert.ToBase64String(ToWav())}\"></audio>"
             + $"<div style=\"font-size:smaller\">{WebUtility.HtmlEncode(Describe())}</div></div>";
    }

    string Describe()
    {
        double peak = _samples.Max(s => Math.Abs(float.IsFinite(s) ? s : 0f));
        return string.Create(CultureInfo.InvariantCulture, $"{Seconds:0.00} s, {SampleRate} Hz, mono, peak {peak:0.00}");
    }

    /// <inheritdoc/>
    public override string ToString() => (Title == null ? "Audio: " : $"Audio '{Title}': ") + Describe();
}
