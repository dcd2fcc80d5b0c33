using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public class CrossEntropyTests
{
    static (Tensor Logits, Tensor Labels, Tensor Soft, Tensor Weights) Data()
    {
        var g = Course.Generator(4);
        var logits = randn([7, 5], generator: g) * 3;
        var labels = randint(0, 5, [7], generator: g);
        var soft = nn.functional.softmax(randn([7, 5], generator: g), 1);
        var weights = rand([7], generator: g);
        return (logits, labels, soft, weights);
    }

    [Fact]
    public void Hard_soft_and_weighted_match_naive_loops()
    {
        Course.Init(0);
        var (logits, labels, soft, weights) = Data();
        var l = D2(logits); var y = D1(labels); var s = D2(soft); var w = D1(weights);
        double hard = 0, softLoss = 0, weighted = 0;
        for (int n = 0; n < 7; n++)
        {
            var lp = LogSoftmaxRow(l, n);
            hard += -lp[(int)y[n]];
            weighted += -w[n] * lp[(int)y[n]];
            for (int c = 0; c < 5; c++) softLoss += -s[n, c] * lp[c];
        }
        Scalar(CrossEntropy.Hard(logits, labels)).Should().BeApproximately(hard / 7, 1e-5);
        Scalar(CrossEntropy.Soft(logits, soft)).Should().BeApproximately(softLoss / 7, 1e-5);
        Scalar(CrossEntropy.Weighted(logits, labels, weights)).Should().BeApproximately(weighted / 7, 1e-5);
        D1(CrossEntropy.PerSample(logits, labels)).Average().Should().BeApproximately(hard / 7, 1e-5);
    }

    [Fact]
    public void Closed_forms_uniform_logits_give_log_C_and_one_hot_soft_equals_hard()
    {
        Course.Init(0);
        var (logits, labels, _, _) = Data();
        Scalar(CrossEntropy.Hard(zeros(3, 10), tensor(new long[] { 0, 4, 9 }))).Should().BeApproximately(Math.Log(10), 1e-6);
        var oneHot = nn.functional.one_hot(labels, 5).to(ScalarType.Float32);
        Scalar(CrossEntropy.Soft(logits, oneHot)).Should().BeApproximately(Scalar(CrossEntropy.Hard(logits, labels)), 1e-5);
        Scalar(CrossEntropy.Weighted(logits, labels, ones(7))).Should().BeApproximately(Scalar(CrossEntropy.Hard(logits, labels)), 1e-5);
    }

    [Fact]
    public void Huge_logits_stay_finite_and_bad_shapes_are_named()
    {
        Course.Init(0);
        var logits = tensor(new float[] { 1e4f, -1e4f, 0, 0 }).reshape(2, 2).requires_grad_(true);
        var loss = CrossEntropy.Hard(logits, tensor(new long[] { 1, 0 }));
        AllFinite(loss).Should().BeTrue();
        loss.backward();
        AllFinite(logits.grad!).Should().BeTrue();
        FluentActions.Invoking(() => CrossEntropy.Hard(zeros(3, 2), zeros(2, ScalarType.Int64))).Should().Throw<ArgumentException>().WithMessage("*labels*");
    }

    [Fact]
    public void Entropy_matches_a_loop_and_its_bounds()
    {
        Course.Init(0);
        var (logits, _, _, _) = Data();
        var l = D2(logits);
        double h = 0;
        for (int n = 0; n < 7; n++) { var lp = LogSoftmaxRow(l, n); for (int c = 0; c < 5; c++) h += -Math.Exp(lp[c]) * lp[c]; }
        Scalar(Entropy.Mean(logits)).Should().BeApproximately(h / 7, 1e-5);
        Scalar(Entropy.Mean(zeros(4, 8))).Should().BeApproximately(Math.Log(8), 1e-6);
        Scalar(Entropy.Mean(tensor(new float[] { 100, 0, 0 }).reshape(1, 3))).Should().BeApproximately(0, 1e-6);
    }
}
