using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public class ColorizationLossTests
{
    [Fact]
    public void Matches_the_papers_per_pixel_sum_written_as_loops()
    {
        Course.Init(0);
        var g = Course.Generator(12);
        int n = 2, q = 6, h = 3, w = 2;
        var logits = randn([n, q, h, w], generator: g);
        var targets = nn.functional.softmax(randn([n, q, h, w], generator: g) * 2, 1);
        var weights = rand([q], generator: g) + 0.5;
        var l = D1(logits); var t = D1(targets); var wt = D1(weights);
        int Idx(int a, int c, int y, int x) => ((a * q + c) * h + y) * w + x;
        double total = 0;
        for (int a = 0; a < n; a++)
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            double max = double.NegativeInfinity; int mode = 0; double best = -1;
            for (int c = 0; c < q; c++) { max = Math.Max(max, l[Idx(a, c, y, x)]); if (t[Idx(a, c, y, x)] > best) { best = t[Idx(a, c, y, x)]; mode = c; } }
            double z = 0;
            for (int c = 0; c < q; c++) z += Math.Exp(l[Idx(a, c, y, x)] - max);
            double ce = 0;
            for (int c = 0; c < q; c++) ce += -t[Idx(a, c, y, x)] * (l[Idx(a, c, y, x)] - max - Math.Log(z));
            total += wt[mode] * ce;
        }
        Scalar(RebalancedPixelCrossEntropy.Loss(logits, targets, weights)).Should().BeApproximately(total / (n * h * w), 1e-5);
    }

    [Fact]
    public void Hard_bins_equal_one_hot_soft_targets_and_unit_weights_give_plain_cross_entropy()
    {
        Course.Init(0);
        var g = Course.Generator(13);
        var logits = randn([2, 5, 4, 4], generator: g);
        var bins = randint(0, 5, [2, 4, 4], generator: g);
        var oneHot = nn.functional.one_hot(bins, 5).permute(0, 3, 1, 2).to(ScalarType.Float32); // [N, H, W, Q] -> [N, Q, H, W]
        var weights = rand([5], generator: g) + 0.1;
        Scalar(RebalancedPixelCrossEntropy.LossHard(logits, bins, weights)).Should().BeApproximately(Scalar(RebalancedPixelCrossEntropy.Loss(logits, oneHot, weights)), 1e-5);
        Scalar(RebalancedPixelCrossEntropy.LossHard(logits, bins, ones(5))).Should().BeApproximately(Scalar(nn.functional.cross_entropy(logits, bins)), 1e-5);
    }

    [Fact]
    public void Class_weights_follow_the_paper()
    {
        Course.Init(0);
        var prior = tensor(new float[] { 0.7f, 0.2f, 0.1f, 0f });
        var w = D1(RebalancedPixelCrossEntropy.ClassWeights(prior, 0.5));
        // w ∝ 1 / (0.5 p + 0.5 / 4), normalised so that sum p w = 1.
        var p = new[] { 0.7, 0.2, 0.1, 0 };
        var raw = p.Select(x => 1 / (0.5 * x + 0.125)).ToArray();
        double norm = p.Zip(raw, (a, b) => a * b).Sum();
        for (int i = 0; i < 4; i++) w[i].Should().BeApproximately(raw[i] / norm, 1e-5);
        w[3].Should().BeGreaterThan(w[0], "rare colours weigh more");
        D1(RebalancedPixelCrossEntropy.ClassWeights(ones(7), 0.5)).Should().OnlyContain(x => Math.Abs(x - 1) < 1e-5);
        D1(RebalancedPixelCrossEntropy.ClassWeights(prior, 1.0)).Should().OnlyContain(x => Math.Abs(x - 1) < 1e-5);
        FluentActions.Invoking(() => RebalancedPixelCrossEntropy.ClassWeights(prior, 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*lambda*");
    }
}
