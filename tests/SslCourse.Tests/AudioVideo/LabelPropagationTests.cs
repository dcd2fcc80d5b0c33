using FluentAssertions;
using SslCourse.AudioVideo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.AudioVideo;

public class LabelPropagationTests
{
    /// <summary>Straight from the definition: for each query, sort similarities, keep the top k, softmax, average labels.</summary>
    static double[,] Naive(float[,] q, float[,] s, float[,] labels, double tau, int k, bool[,]? allowed = null)
    {
        int n = q.GetLength(0), m = s.GetLength(0), d = q.GetLength(1), c = labels.GetLength(1);
        var outp = new double[n, c];
        for (int i = 0; i < n; i++)
        {
            var sims = new List<(double v, int j)>();
            for (int j = 0; j < m; j++)
            {
                if (allowed != null && !allowed[i, j]) continue;
                double dot = 0;
                for (int t = 0; t < d; t++) dot += q[i, t] * s[j, t];
                sims.Add((dot / tau, j));
            }
            var top = sims.OrderByDescending(p => p.v).Take(k).ToList();
            double mx = top.Max(p => p.v), z = top.Sum(p => Math.Exp(p.v - mx));
            foreach (var (v, j) in top)
                for (int cc = 0; cc < c; cc++) outp[i, cc] += Math.Exp(v - mx) / z * labels[j, cc];
        }
        return outp;
    }

    static float[,] To2D(Tensor t)
    {
        var a = t.data<float>().ToArray(); int r = (int)t.shape[0], c = (int)t.shape[1];
        var o = new float[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[i, j] = a[i * c + j];
        return o;
    }

    [Theory]
    [InlineData(0.07, 3)]
    [InlineData(0.5, 1)]
    [InlineData(1.0, 20)]
    public void Propagate_matches_a_naive_loop(double tau, int k)
    {
        Course.Init(0);
        var g = Course.Generator(7);
        var q = nn.functional.normalize(randn(new long[] { 6, 5 }, generator: g), dim: 1);
        var s = nn.functional.normalize(randn(new long[] { 9, 5 }, generator: g), dim: 1);
        var lab = rand(new long[] { 9, 3 }, generator: g);
        var got = LabelPropagation.Propagate(q, s, lab, tau, k);
        var want = Naive(To2D(q), To2D(s), To2D(lab), tau, k);
        got.shape.Should().Equal(6, 3);
        var ga = got.data<float>().ToArray();
        for (int i = 0; i < 6; i++) for (int c = 0; c < 3; c++) ga[i * 3 + c].Should().BeApproximately((float)want[i, c], 1e-5f);
        LabelPropagation.Affinity(q, s, tau, k).sum(1).allclose(ones(6)).Should().BeTrue();
    }

    [Fact]
    public void Allowed_mask_excludes_entries_like_the_naive_loop()
    {
        Course.Init(0);
        var g = Course.Generator(8);
        var q = randn(new long[] { 4, 3 }, generator: g);
        var s = randn(new long[] { 7, 3 }, generator: g);
        var lab = rand(new long[] { 7, 2 }, generator: g);
        var allowed = rand(new long[] { 4, 7 }, generator: g).gt(0.4);
        allowed[.., 0] = tensor(true);   // every row has at least one allowed entry
        var al = allowed.data<bool>().ToArray(); var a2 = new bool[4, 7];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 7; j++) a2[i, j] = al[i * 7 + j];
        var got = LabelPropagation.Propagate(q, s, lab, 0.3, 4, allowed).data<float>().ToArray();
        var want = Naive(To2D(q), To2D(s), To2D(lab), 0.3, 4, a2);
        for (int i = 0; i < 4; i++) for (int c = 0; c < 2; c++) got[i * 2 + c].Should().BeApproximately((float)want[i, c], 1e-5f);
    }

    [Fact]
    public void Identical_frames_propagate_labels_unchanged_at_low_temperature()
    {
        Course.Init(0);
        var feats = randn(new long[] { 1, 8, 4, 4 }, generator: Course.Generator(2)).repeat(3, 1, 1, 1);   // [3, 8, 4, 4]
        var lab = nn.functional.one_hot(randint(0, 3, new long[] { 4, 4 }, generator: Course.Generator(4)), 3).permute(2, 0, 1).to_type(ScalarType.Float32);
        var outp = LabelPropagation.PropagateVideo(feats, lab, temperature: 0.001, topK: 5, radius: 1.5);
        outp.shape.Should().Equal(3, 3, 4, 4);
        outp[2].allclose(lab, atol: 1e-4).Should().BeTrue();
    }

    [Fact]
    public void RadiusMask_and_MeanIoU_closed_forms()
    {
        Course.Init(0);
        var m = LabelPropagation.RadiusMask(3, 3, 1.0);
        m.sum().item<long>().Should().Be(9 + 2 * 12);                         // self + 12 grid edges, both ways
        var truth = tensor(new long[] { 0, 1, 1, 2, 0, 1, 1, 2 }).reshape(2, 2, 2);
        var pred = tensor(new long[] { 0, 1, 0, 2, 0, 1, 1, 2 }).reshape(2, 2, 2);
        // frame 0: class1 IoU 1/2, class2 1; frame 1: 1, 1
        LabelPropagation.MeanIoU(pred, truth, 3).Should().BeApproximately(3.5 / 4, 1e-12);
        FluentActions.Invoking(() => LabelPropagation.Affinity(zeros(2, 3), zeros(2, 3), 0, 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*temperature*");
        FluentActions.Invoking(() => LabelPropagation.Affinity(zeros(2, 3), zeros(2, 3), 1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*topK*");
    }
}
