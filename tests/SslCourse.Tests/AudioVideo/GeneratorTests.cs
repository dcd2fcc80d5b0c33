using FluentAssertions;
using SslCourse.AudioVideo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.AudioVideo;

public class GeneratorTests
{
    [Fact]
    public void Clips_are_a_pure_function_of_seed_and_index()
    {
        Course.Init(0);
        var a = AvClips.Generate(3, 17);
        var b = AvClips.Generate(3, 17);
        a.Image.Should().Equal(b.Image);
        a.Audio.Should().Equal(b.Audio);
        AvClips.Generate(3, 18).Image.Should().NotEqual(a.Image);
        var (img, aud, kinds) = AvClips.Batch(3, 15, 4);
        img.shape.Should().Equal(4, 3, 32, 32);
        aud.shape.Should().Equal(4, AvClips.AudioSamples);
        img[2].flatten().data<float>().ToArray().Should().Equal(a.Image);
        kinds[2].item<long>().Should().Be(a.Kind);
        img.min().item<float>().Should().BeGreaterThanOrEqualTo(0); img.max().item<float>().Should().BeLessThanOrEqualTo(1);
        aud.abs().max().item<float>().Should().BeLessThan(2.5f);
    }

    [Fact]
    public void Kinds_are_balanced_and_colour_does_not_give_them_away()
    {
        Course.Init(0);
        var (img, _, kinds) = AvClips.Batch(1, 0, 600);
        var counts = torch.bincount(kinds, minlength: 6).data<long>().ToArray();
        counts.Should().OnlyContain(c => c > 60 && c < 140);
        // mean colour of the frames of each kind stays within a few hundredths of the overall mean colour
        var overall = img.mean(new long[] { 0, 2, 3 });
        for (int k = 0; k < 6; k++)
        {
            var perKind = img.index_select(0, kinds.eq(k).nonzero().squeeze(1)).mean(new long[] { 0, 2, 3 });
            perKind.sub(overall).abs().max().item<float>().Should().BeLessThan(0.06f);
        }
    }

    [Fact]
    public void Each_sound_has_its_signature_in_the_spectrogram()
    {
        Course.Init(0);
        var clips = Enumerable.Range(0, 6).Select(k => AvClips.Generate(5, 40 + k, k)).ToArray();
        var audio = stack(clips.Select(c => tensor(c.Audio)).ToArray());
        var mag = Spectrogram.LogMagnitude(audio);                 // [6, 129, 32]
        var peak = mag.argmax(1);                                  // [6, 32] loudest bin per frame
        // rising chirp: the loudest bin climbs; falling chirp: it descends; steady tone: it stays put
        peak[1, -2].item<long>().Should().BeGreaterThan(peak[1, 1].item<long>() + 10);
        peak[2, -2].item<long>().Should().BeLessThan(peak[2, 1].item<long>() - 10);
        peak[0].narrow(0, 1, 30).unique().output.shape[0].Should().Be(1);
        // clicks and noise bursts spread their loudest frame over many frequencies; a tone piles it into a few bins
        double PeakShare(int k)
        {
            var p = mag[k].exp().square();                         // [129, 32] power
            var loudest = p.sum(new long[] { 0 }).argmax().item<long>();
            var col = p[.., loudest];
            return col.max().item<float>() / col.sum().item<float>();
        }
        PeakShare(0).Should().BeGreaterThan(0.25);
        PeakShare(3).Should().BeLessThan(PeakShare(0) / 2);
        PeakShare(4).Should().BeLessThan(PeakShare(0) / 2);
    }

    [Fact]
    public void Sprite_videos_move_and_their_masks_mark_the_sprites()
    {
        Course.Init(0);
        var (v, m) = SpriteVideos.Generate(2, 5, frames: 6, sprites: 2);
        v.shape.Should().Equal(6, 3, 32, 32);
        m.shape.Should().Equal(6, 32, 32);
        m.max().item<long>().Should().BeLessThanOrEqualTo(2);
        m[0].eq(1).sum().item<long>().Should().BeGreaterThan(20);
        m[0].ne(m[5]).any().item<bool>().Should().BeTrue();                // something moved
        // background pixels (mask 0 in both frames) do not change
        var bgBoth = m[0].eq(0).logical_and(m[5].eq(0));
        v[0].sub(v[5]).abs().sum(new long[] { 0 }).masked_select(bgBoth).max().item<float>().Should().Be(0f);
        var (v2, _) = SpriteVideos.Generate(2, 5, frames: 6, sprites: 2);
        v2.eq(v).all().item<bool>().Should().BeTrue();
        var lab = SpriteVideos.MaskToLabels(m, 3, 2);
        lab.shape.Should().Equal(6, 3, 16, 16);
        lab.sum(1).allclose(ones(6, 16, 16)).Should().BeTrue();
        SpriteVideos.LabelsToMask(SpriteVideos.MaskToLabels(m, 3, 1), 1).eq(m).all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void Fork_videos_share_their_past_and_split_their_future_only_when_ambiguous()
    {
        Course.Init(0);
        int ambiguous = 0, certain = 0;
        for (int i = 0; i < 40; i++)
        {
            var up = ForkVideos.Generate(1, i, branch: -1);
            var down = ForkVideos.Generate(1, i, branch: 1);
            up.History.eq(down.History).all().item<bool>().Should().BeTrue();
            up.Ambiguous.Should().Be(down.Ambiguous);
            bool differ = up.Future.sub(down.Future).abs().max().item<float>() > 0.1f;
            differ.Should().Be(up.Ambiguous);
            if (up.Ambiguous) ambiguous++; else certain++;
        }
        ambiguous.Should().BeGreaterThan(10); certain.Should().BeGreaterThan(3);
        var (h, f, a) = ForkVideos.Batch(1, 0, 5);
        h.shape.Should().Equal(5, 3, 32, 32); f.shape.Should().Equal(5, 1, 32, 32); a.shape.Should().Equal(5);
    }
}
