using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public class InfoNceTests
{
    static double Naive(Tensor q, Tensor k, Tensor neg, double t)
    {
        var qa = D2(q); var ka = D2(k); var na = D2(neg);
        int n = qa.GetLength(0), m = na.GetLength(0);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var qi = Normalized(qa, i);
            double pos = Math.Exp(Dot(qi, Normalized(ka, i)) / t), den = pos;
            for (int j = 0; j < m; j++) den += Math.Exp(Dot(qi, Normalized(na, j)) / t);
            total += -Math.Log(pos / den);
        }
        return total / n;
    }

    [Theory]
    [InlineData(0.07)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void Matches_the_formula_with_a_queue_of_negatives(double t)
    {
        Course.Init(0);
        var g = Course.Generator(11);
        var q = randn([5, 6], generator: g); var k = randn([5, 6], generator: g); var neg = randn([13, 6], generator: g);
        Scalar(InfoNce.Loss(q, k, neg, t)).Should().BeApproximately(Naive(q, k, neg, t), 1e-4);
    }

    [Fact]
    public void Closed_form_with_orthogonal_negatives()
    {
        Course.Init(0);
        var q = tensor(new float[] { 1, 0, 0, 0 }).reshape(1, 4);
        var neg = tensor(new float[] { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }).reshape(3, 4);
        Scalar(InfoNce.Loss(q, q, neg, 0.5)).Should().BeApproximately(Math.Log(1 + 3 * Math.Exp(-2)), 1e-5);
    }

    [Fact]
    public void MoCo_sends_no_gradient_into_keys_or_queue_and_gradients_are_finite()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        var q = randn([4, 8], generator: g).requires_grad_(true);
        var k = randn([4, 8], generator: g).requires_grad_(true);
        var queue = randn([32, 8], generator: g).requires_grad_(true);
        var loss = InfoNce.MoCo(q, k, queue, 0.07);
        loss.backward();
        AllFinite(q.grad!).Should().BeTrue();
        (k.grad is null || k.grad.abs().sum().item<float>() == 0).Should().BeTrue();
        (queue.grad is null || queue.grad.abs().sum().item<float>() == 0).Should().BeTrue();
    }
}
