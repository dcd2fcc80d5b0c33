using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public class SemiSupervisedLossTests
{
    [Fact]
    public void Consistency_matches_the_mean_squared_softmax_difference()
    {
        Course.Init(0);
        var g = Course.Generator(14);
        var s = randn([5, 4], generator: g).requires_grad_(true);
        var t = randn([5, 4], generator: g).requires_grad_(true);
        var sa = D2(s.detach()); var ta = D2(t.detach());
        double total = 0;
        for (int n = 0; n < 5; n++)
        {
            var ls = LogSoftmaxRow(sa, n); var lt = LogSoftmaxRow(ta, n);
            for (int c = 0; c < 4; c++) total += Math.Pow(Math.Exp(ls[c]) - Math.Exp(lt[c]), 2);
        }
        var loss = Consistency.Loss(s, t);
        Scalar(loss).Should().BeApproximately(total / 20, 1e-6);
        Scalar(Consistency.Loss(s, s)).Should().BeApproximately(0, 1e-7);
        loss.backward();
        AllFinite(s.grad!).Should().BeTrue();
        (t.grad is null || t.grad.abs().sum().item<float>() == 0).Should().BeTrue("the teacher gets no gradient");
    }

    [Fact]
    public void FixMatch_matches_the_masked_loop()
    {
        Course.Init(0);
        var g = Course.Generator(15);
        var weak = randn([8, 3], generator: g) * 4;
        var strong = randn([8, 3], generator: g);
        var wa = D2(weak); var sa = D2(strong);
        double tau = 0.8, total = 0;
        for (int b = 0; b < 8; b++)
        {
            var lw = LogSoftmaxRow(wa, b);
            int arg = 0; for (int c = 1; c < 3; c++) if (lw[c] > lw[arg]) arg = c;
            if (Math.Exp(lw[arg]) >= tau) total += -LogSoftmaxRow(sa, b)[arg];
        }
        Scalar(FixMatch.Loss(weak, strong, tau)).Should().BeApproximately(total / 8, 1e-5);
    }

    [Fact]
    public void FixMatch_closed_forms_threshold_one_masks_all_threshold_zero_is_plain_pseudo_labelling()
    {
        Course.Init(0);
        var g = Course.Generator(16);
        var weak = randn([6, 4], generator: g);
        var strong = randn([6, 4], generator: g).requires_grad_(true);
        Scalar(FixMatch.Loss(weak, strong, 1.0)).Should().Be(0);
        Scalar(FixMatch.Loss(weak, strong, 0.0)).Should().BeApproximately(Scalar(CrossEntropy.Hard(strong, weak.argmax(1))), 1e-5);
        var (_, mask) = FixMatch.PseudoLabels(weak, 0.0);
        D1(mask).Should().OnlyContain(x => x == 1);
        FluentActions.Invoking(() => FixMatch.Loss(weak, strong, 1.2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*threshold*");
    }
}
