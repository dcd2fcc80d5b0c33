using FluentAssertions;
using SslCourse.AudioVideo;
using SslCourse.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.AudioVideo;

public class AvcTests
{
    [Fact]
    public void Pairs_are_balanced_and_negatives_never_pair_a_clip_with_itself()
    {
        Course.Init(0);
        var (fi, si, label) = AvcPairs.Build(8, Course.Generator(1));
        fi.shape.Should().Equal(16); si.shape.Should().Equal(16); label.shape.Should().Equal(16);
        fi.data<long>().ToArray().Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
        si.narrow(0, 0, 8).data<long>().ToArray().Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
        label.data<long>().ToArray().Should().Equal(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        // partners: never i, and every other clip is reachable with roughly equal chance
        var counts = new int[5, 5];
        var g = Course.Generator(2);
        for (int r = 0; r < 2000; r++)
        {
            var j = AvcPairs.MismatchPartners(5, g).data<long>().ToArray();
            for (int i = 0; i < 5; i++) counts[i, j[i]]++;
        }
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                if (i == j) counts[i, j].Should().Be(0);
                else counts[i, j].Should().BeInRange(400, 600);
        FluentActions.Invoking(() => AvcPairs.MismatchPartners(1, g)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*n*");
    }

    [Fact]
    public void Encoders_have_the_documented_shapes()
    {
        Course.Init(0);
        new AudioEncoder(dim: 40).call(zeros(2, 1, 32, 32)).shape.Should().Equal(2, 40);
        new AudioEncoder1d(bands: 32, dim: 24).call(zeros(2, 32, 32)).shape.Should().Equal(2, 24);
        var v = new VideoFrameEncoder(mapDim: 16, dim: 20);
        v.FeatureMap(zeros(2, 3, 32, 32)).shape.Should().Equal(2, 16, 16, 16);
        v.call(zeros(2, 3, 32, 32)).shape.Should().Equal(2, 20);
        new VideoPredictor(history: 3, width: 8).call(zeros(2, 3, 32, 32)).shape.Should().Equal(2, 1, 32, 32);
        FluentActions.Invoking(() => new AudioEncoder(dim: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*dim*");
    }

    [Fact]
    public void A_short_AVC_run_lowers_the_loss()
    {
        Course.Init(0);
        var (img, aud, _) = AvClips.Batch(1, 0, 64);
        var spec = Spectrogram.LogMel(aud);
        spec = spec.sub(spec.mean()).div(spec.std()).unsqueeze(1);
        var net = new AvcNetwork(new VideoFrameEncoder(mapDim: 16, dim: 32), new AudioEncoder(dim: 32, width: 8), 32, 32, hidden: 32);
        var opt = optim.Adam(net.parameters(), lr: 3e-3);
        var g = Course.Generator(0);
        var losses = new List<double>();
        for (int s = 0; s < 30; s++)
        {
            using var scope = NewDisposeScope();
            var (loss, acc) = net.PretextLoss(img, spec, g);
            acc.Should().BeInRange(0, 1);
            opt.zero_grad(); loss.backward(); opt.step();
            losses.Add(loss.item<float>());
        }
        losses.TakeLast(5).Average().Should().BeLessThan(losses[0]);
    }

    [Fact]
    public void KMeans_recovers_separated_blobs_and_purity_is_the_majority_fraction()
    {
        Course.Init(0);
        var g = Course.Generator(4);
        var centres = tensor(new float[] { 0, 0, 10, 0, 0, 10 }).reshape(3, 2);
        var labels = arange(3, dtype: ScalarType.Int64).repeat_interleave(20);
        var x = centres.index_select(0, labels).add(randn(new long[] { 60, 2 }, generator: g).mul(0.3));
        var (assign, cent) = KMeans.Fit(x, 3, 20, Course.Generator(5));
        cent.shape.Should().Equal(3, 2);
        KMeans.Purity(assign, labels, 3, 3).Should().Be(1.0);
        KMeans.Purity(tensor(new long[] { 0, 0, 0, 1 }), tensor(new long[] { 0, 0, 1, 1 }), 2, 2).Should().Be(0.75);
    }
}
