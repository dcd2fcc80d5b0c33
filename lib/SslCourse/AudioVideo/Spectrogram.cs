using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// Short-time Fourier transform and the spectrograms built on it: cut the signal into overlapping frames of
/// <c>nFft</c> samples every <c>hop</c> samples, multiply each by a Hann window, take its DFT. The magnitude, on a log
/// scale (optionally pooled into mel bands, which are narrow at low and wide at high frequencies, like hearing), turns a
/// sound into an image [frequency, time] that a 2-D ConvNet can read.
/// </summary>
public static class Spectrogram
{
    /// <summary>The course's defaults for <see cref="AvClips"/> (8 kHz, 4000 samples): 256-sample frames (32 ms)
    /// every 120 samples gives 32 frames; 32 mel bands from 0 to 4 kHz give a 32x32 log-mel image.</summary>
    public const int DefaultNFft = 256, DefaultHop = 120, DefaultMels = 32;

    static void Validate(Tensor signal, int nFft, int hop)
    {
        if (nFft < 2) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "nFft must be at least 2.");
        if (hop < 1) throw new ArgumentOutOfRangeException(nameof(hop), hop, "hop must be at least 1.");
        if (signal.dim() != 2) throw new ArgumentException($"signal: expected [N, T], got [{string.Join(",", signal.shape)}].", nameof(signal));
        if (signal.shape[1] < nFft) throw new ArgumentException($"signal: {signal.shape[1]} samples is shorter than nFft = {nFft}.", nameof(signal));
    }

    /// <summary>Number of frames for <paramref name="samples"/> samples (no padding): 1 + (T - nFft) / hop.</summary>
    public static int FrameCount(int samples, int nFft, int hop) => 1 + (samples - nFft) / hop;

    /// <summary>The STFT with a periodic Hann window and no padding (torch.stft with center = false).</summary>
    /// <param name="signal">[N, T] real.</param>
    /// <param name="nFft">Samples per frame (the DFT length).</param>
    /// <param name="hop">Samples between frame starts.</param>
    /// <returns>[N, nFft/2+1, frames] complex: entry (n, f, m) = sum_k x[n, m*hop + k] w[k] exp(-2 pi i f k / nFft).</returns>
    public static Tensor Stft(Tensor signal, int nFft = DefaultNFft, int hop = DefaultHop)
    {
        Validate(signal, nFft, hop);
        using var window = hann_window(nFft, periodic: true, dtype: signal.dtype, device: signal.device);
        return stft(signal, nFft, hop_length: hop, win_length: nFft, window: window, center: false, onesided: true, return_complex: true);
    }

    /// <summary>Log-magnitude spectrogram log(|STFT| + eps).</summary>
    /// <param name="signal">[N, T].</param>
    /// <param name="nFft">Samples per frame.</param>
    /// <param name="hop">Samples between frame starts.</param>
    /// <param name="eps">Added before the log so that silence stays finite.</param>
    /// <returns>[N, nFft/2+1, frames].</returns>
    public static Tensor LogMagnitude(Tensor signal, int nFft = DefaultNFft, int hop = DefaultHop, double eps = 1e-4)
    {
        if (eps <= 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive.");
        using var scope = NewDisposeScope();
        return Stft(signal, nFft, hop).abs().add(eps).log().MoveToOuterDisposeScope();
    }

    /// <summary>Hertz to mel (the HTK formula 2595 log10(1 + f / 700)).</summary>
    public static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);

    /// <summary>Mel to hertz (inverse of <see cref="HzToMel"/>).</summary>
    public static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>Triangular mel filters: <paramref name="nMels"/> triangles with centres evenly spaced in mel between
    /// <paramref name="fMin"/> and <paramref name="fMax"/>, each rising from its left neighbour's centre to 1 at its own
    /// and falling to 0 at its right neighbour's, evaluated at the FFT bin frequencies f * sampleRate / nFft.</summary>
    /// <returns>[nMels, nFft/2+1], float32.</returns>
    public static Tensor MelFilterBank(int nMels, int nFft, int sampleRate, double fMin = 0, double? fMax = null)
    {
        double top = fMax ?? sampleRate / 2.0;
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, "nMels must be at least 1.");
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be positive.");
        if (fMin < 0 || fMin >= top) throw new ArgumentOutOfRangeException(nameof(fMin), fMin, $"fMin must be in [0, fMax = {top}).");
        if (top > sampleRate / 2.0) throw new ArgumentOutOfRangeException(nameof(fMax), top, $"fMax must be at most the Nyquist frequency {sampleRate / 2.0}.");
        int bins = nFft / 2 + 1;
        double mlo = HzToMel(fMin), mhi = HzToMel(top);
        var edges = new double[nMels + 2];
        for (int i = 0; i < edges.Length; i++) edges[i] = MelToHz(mlo + (mhi - mlo) * i / (nMels + 1));
        var w = new float[nMels * bins];
        for (int m = 0; m < nMels; m++)
            for (int f = 0; f < bins; f++)
            {
                double hz = (double)f * sampleRate / nFft;
                double up = (hz - edges[m]) / (edges[m + 1] - edges[m]);
                double down = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
                w[m * bins + f] = (float)Math.Max(0, Math.Min(up, down));
            }
        return tensor(w).reshape(nMels, bins);
    }

    /// <summary>Log-mel spectrogram: log(melFilters @ |STFT|^2 + eps).</summary>
    /// <param name="signal">[N, T].</param>
    /// <param name="sampleRate">Samples per second of the signal.</param>
    /// <param name="nFft">Samples per frame.</param>
    /// <param name="hop">Samples between frame starts.</param>
    /// <param name="nMels">Mel bands.</param>
    /// <param name="eps">Added before the log.</param>
    /// <returns>[N, nMels, frames].</returns>
    public static Tensor LogMel(Tensor signal, int sampleRate = AvClips.SampleRate, int nFft = DefaultNFft, int hop = DefaultHop,
                                int nMels = DefaultMels, double eps = 1e-6)
    {
        if (eps <= 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive.");
        using var scope = NewDisposeScope();
        var power = Stft(signal, nFft, hop).abs().square();                               // [N, F, M]
        var bank = MelFilterBank(nMels, nFft, sampleRate).to(signal.device);               // [nMels, F]
        var mel = matmul(bank, power);                                                     // [nMels, F] @ [N, F, M] -> [N, nMels, M]
        return mel.add(eps).log().MoveToOuterDisposeScope();
    }

    /// <summary>Spectrograms as images for <see cref="Display.ImageGrid"/>: each rescaled to 0..1 and flipped so that
    /// low frequencies are at the bottom.</summary>
    /// <param name="spec">[N, F, frames] (or [F, frames]).</param>
    /// <returns>[N, 1, F, frames] in 0..1.</returns>
    public static Tensor ToImage(Tensor spec)
    {
        using var scope = NewDisposeScope();
        var s = spec.dim() == 2 ? spec.unsqueeze(0) : spec;
        var flat = s.flatten(1);                                                           // [N, F*frames]
        var lo = flat.amin(new long[] { 1 }, keepdim: true);
        var hi = flat.amax(new long[] { 1 }, keepdim: true);
        var img = flat.sub(lo).div(hi.sub(lo).clamp_min(1e-8)).reshape(s.shape);           // [N, F, frames]
        return img.flip(1).unsqueeze(1).MoveToOuterDisposeScope();                         // [N, 1, F, frames]
    }
}
