using FluentAssertions;
using SslCourse.AudioVideo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.AudioVideo;

public class SpectrogramTests
{
    [Fact]
    public void Stft_matches_a_naive_windowed_dft()
    {
        Course.Init(0);
        const int T = 70, nFft = 16, hop = 6;
        var x = randn(new long[] { 2, T }, generator: Course.Generator(3), dtype: ScalarType.Float64);
        var X = Spectrogram.Stft(x, nFft, hop);
        int frames = Spectrogram.FrameCount(T, nFft, hop);
        X.shape.Should().Equal(2, nFft / 2 + 1, frames);
        var re = X.real.data<double>().ToArray(); var im = X.imag.data<double>().ToArray();
        var xs = x.data<double>().ToArray();
        for (int n = 0; n < 2; n++)
            for (int f = 0; f <= nFft / 2; f++)
                for (int m = 0; m < frames; m++)
                {
                    double sr = 0, si = 0;
                    for (int k = 0; k < nFft; k++)
                    {
                        double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * k / nFft);   // periodic Hann
                        double v = xs[n * T + m * hop + k] * w, a = -2 * Math.PI * f * k / nFft;
                        sr += v * Math.Cos(a); si += v * Math.Sin(a);
                    }
                    int i = (n * (nFft / 2 + 1) + f) * frames + m;
                    re[i].Should().BeApproximately(sr, 1e-9);
                    im[i].Should().BeApproximately(si, 1e-9);
                }
    }

    [Fact]
    public void A_pure_tone_peaks_in_its_frequency_bin()
    {
        Course.Init(0);
        const int sr = 8000, nFft = 256; double f = 1000;   // bin 1000 * 256 / 8000 = 32
        var x = arange(4000, dtype: ScalarType.Float32).mul(2 * Math.PI * f / sr).sin().unsqueeze(0);
        var mag = Spectrogram.LogMagnitude(x);
        mag.shape.Should().Equal(1, 129, 32);
        mag[0].argmax(0).unique().output.item<long>().Should().Be(32);
        var mel = Spectrogram.LogMel(x);
        mel.shape.Should().Equal(1, 32, 32);
        // the tone's mel band is the one whose centre is nearest 1000 Hz
        var bank = Spectrogram.MelFilterBank(32, nFft, sr);
        long expected = bank[.., 32].argmax().item<long>();
        mel[0].argmax(0).unique().output.item<long>().Should().Be(expected);
    }

    [Fact]
    public void Mel_filters_are_triangles_evenly_spaced_in_mel()
    {
        Course.Init(0);
        var bank = Spectrogram.MelFilterBank(10, 512, 16000);
        bank.shape.Should().Equal(10, 257);
        bank.min().item<float>().Should().BeGreaterThanOrEqualTo(0);
        bank.max().item<float>().Should().BeLessThanOrEqualTo(1f + 1e-6f);
        // every bin between the first and last centres is covered by two neighbouring triangles summing to 1
        double c1 = Spectrogram.MelToHz(Spectrogram.HzToMel(8000) * 1 / 11), c10 = Spectrogram.MelToHz(Spectrogram.HzToMel(8000) * 10 / 11);
        var sums = bank.sum(new long[] { 0 }).data<float>().ToArray();
        for (int f = 0; f < 257; f++)
        {
            double hz = f * 16000.0 / 512;
            if (hz > c1 + 1 && hz < c10 - 1) sums[f].Should().BeApproximately(1f, 1e-4f);
        }
        Spectrogram.MelToHz(Spectrogram.HzToMel(1234.5)).Should().BeApproximately(1234.5, 1e-6);
        Spectrogram.HzToMel(1000).Should().BeApproximately(1000, 0.1);   // the mel scale's anchor
    }

    [Fact]
    public void Bad_arguments_name_the_value()
    {
        Course.Init(0);
        var x = zeros(1, 100);
        FluentActions.Invoking(() => Spectrogram.Stft(x, 1, 10)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*nFft*");
        FluentActions.Invoking(() => Spectrogram.Stft(x, 256, 10)).Should().Throw<ArgumentException>().WithMessage("*shorter*");
        FluentActions.Invoking(() => Spectrogram.MelFilterBank(0, 256, 8000)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*nMels*");
    }

    [Fact]
    public void ToImage_puts_low_frequencies_at_the_bottom_in_0_to_1()
    {
        Course.Init(0);
        var s = arange(12, dtype: ScalarType.Float32).reshape(1, 3, 4);   // row 0 = lowest frequency
        var img = Spectrogram.ToImage(s);
        img.shape.Should().Equal(1, 1, 3, 4);
        img[0, 0, 2, 0].item<float>().Should().Be(0f);
        img[0, 0, 0, 3].item<float>().Should().Be(1f);
    }
}
