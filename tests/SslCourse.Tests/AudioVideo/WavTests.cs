using System.Text;
using FluentAssertions;
using SslCourse.AudioVideo;
using Xunit;

namespace SslCourse.Tests.AudioVideo;

public class WavTests
{
    [Fact]
    public void Header_fields_follow_the_RIFF_WAVE_layout()
    {
        var wav = Wav.Encode(new float[] { 0f, 0.5f, -1f, 2f }, 8000);
        wav.Length.Should().Be(44 + 8);
        Encoding.ASCII.GetString(wav, 0, 4).Should().Be("RIFF");
        BitConverter.ToInt32(wav, 4).Should().Be(36 + 8);
        Encoding.ASCII.GetString(wav, 8, 8).Should().Be("WAVEfmt ");
        BitConverter.ToInt32(wav, 16).Should().Be(16);
        BitConverter.ToInt16(wav, 20).Should().Be(1);
        BitConverter.ToInt16(wav, 22).Should().Be(1);
        BitConverter.ToInt32(wav, 24).Should().Be(8000);
        BitConverter.ToInt32(wav, 28).Should().Be(16000);
        BitConverter.ToInt16(wav, 32).Should().Be(2);
        BitConverter.ToInt16(wav, 34).Should().Be(16);
        Encoding.ASCII.GetString(wav, 36, 4).Should().Be("data");
        BitConverter.ToInt32(wav, 40).Should().Be(8);
        BitConverter.ToInt16(wav, 44 + 2).Should().Be((short)Math.Round(0.5 * short.MaxValue));
        BitConverter.ToInt16(wav, 44 + 6).Should().Be(short.MaxValue);   // 2.0 is clipped
    }

    [Fact]
    public void Decode_inverts_Encode_to_16_bit_precision()
    {
        var s = Enumerable.Range(0, 500).Select(i => (float)Math.Sin(i * 0.1) * 0.8f).ToArray();
        var (back, rate) = Wav.Decode(Wav.Encode(s, 11025));
        rate.Should().Be(11025);
        back.Should().HaveCount(500);
        for (int i = 0; i < 500; i++) back[i].Should().BeApproximately(s[i], 1.0f / short.MaxValue);
    }

    [Fact]
    public void Html_embeds_an_audio_element()
    {
        var html = Wav.Html(new float[10], 8000, "a <tone>");
        html.Should().Contain("<audio controls src=\"data:audio/wav;base64,").And.Contain("a &lt;tone&gt;");
        FluentActions.Invoking(() => Wav.Encode(new float[1], 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*sampleRate*");
    }
}
