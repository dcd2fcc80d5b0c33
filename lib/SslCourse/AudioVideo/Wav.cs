using System.Text;

namespace SslCourse.AudioVideo;

/// <summary>
/// Mono 16-bit PCM WAV files in memory, and an HTML &lt;audio&gt; element that plays one in a notebook
/// (front ends that render text/html show a player; others show nothing).
/// </summary>
public static class Wav
{
    /// <summary>Encodes <paramref name="samples"/> (clipped to -1..1) as a 44-byte RIFF/WAVE header plus 16-bit little-endian PCM.</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        int dataBytes = samples.Length * 2;
        var bytes = new byte[44 + dataBytes];
        using var ms = new MemoryStream(bytes);
        using var w = new BinaryWriter(ms);
        w.Write(Encoding.ASCII.GetBytes("RIFF"));
        w.Write(36 + dataBytes);
        w.Write(Encoding.ASCII.GetBytes("WAVE"));
        w.Write(Encoding.ASCII.GetBytes("fmt "));
        w.Write(16);                 // fmt chunk size
        w.Write((short)1);           // PCM
        w.Write((short)1);           // mono
        w.Write(sampleRate);
        w.Write(sampleRate * 2);     // byte rate
        w.Write((short)2);           // block align
        w.Write((short)16);          // bits per sample
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(dataBytes);
        foreach (var s in samples) w.Write((short)Math.Round(Math.Clamp(s, -1f, 1f) * short.MaxValue));
        return bytes;
    }

    /// <summary>Decodes a file written by <see cref="Encode"/> (mono 16-bit PCM) back to samples in -1..1.</summary>
    /// <exception cref="FormatException">Not a mono 16-bit PCM WAV file.</exception>
    public static (float[] Samples, int SampleRate) Decode(byte[] wav)
    {
        if (wav.Length < 44 || Encoding.ASCII.GetString(wav, 0, 4) != "RIFF" || Encoding.ASCII.GetString(wav, 8, 4) != "WAVE")
            throw new FormatException("not a RIFF/WAVE file.");
        short format = BitConverter.ToInt16(wav, 20), channels = BitConverter.ToInt16(wav, 22), bits = BitConverter.ToInt16(wav, 34);
        if (format != 1 || channels != 1 || bits != 16)
            throw new FormatException($"expected mono 16-bit PCM, got format {format}, {channels} channels, {bits} bits.");
        int rate = BitConverter.ToInt32(wav, 24), n = BitConverter.ToInt32(wav, 40) / 2;
        var s = new float[n];
        for (int i = 0; i < n; i++) s[i] = BitConverter.ToInt16(wav, 44 + 2 * i) / (float)short.MaxValue;
        return (s, rate);
    }

    /// <summary>An HTML &lt;audio controls&gt; element playing the samples (a base64 data URI), with an optional caption.</summary>
    public static string Html(ReadOnlySpan<float> samples, int sampleRate, string? caption = null)
    {
        var b64 = Convert.ToBase64String(Encode(samples, sampleRate));
        var label = caption == null ? "" : $"<div style=\"font-family:sans-serif;font-size:12px\">{System.Net.WebUtility.HtmlEncode(caption)}</div>";
        return $"<div>{label}<audio controls src=\"data:audio/wav;base64,{b64}\"></audio></div>";
    }
}
