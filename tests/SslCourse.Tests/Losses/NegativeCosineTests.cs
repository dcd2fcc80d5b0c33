using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public class NegativeCosineTests
{
    static double NaiveD(Tensor p, Tensor z)
    {
        var pa = D2(p); var za = D2(z);
        double s = 0; int n = pa.GetLength(0);
        for (int i = 0; i < n; i++) s += -Dot(Normalized(pa, i), Normalized(za, i));
        return s / n;
    }

    [Fact]
    public void SimSiam_and_Byol_match_their_formulas()
    {
        Course.Init(0);
        var g = Course.Generator(8);
        var (p1, z1, p2, z2) = (randn([6, 4], generator: g), randn([6, 4], generator: g), randn([6, 4], generator: g), randn([6, 4], generator: g));
        Scalar(NegativeCosine.Loss(p1, z2)).Should().BeApproximately(NaiveD(p1, z2), 1e-5);
        Scalar(NegativeCosine.SimSiam(p1, z1, p2, z2)).Should().BeApproximately(0.5 * NaiveD(p1, z2) + 0.5 * NaiveD(p2, z1), 1e-5);
        // BYOL: || p/|p| - z/|z| ||^2 = 2 - 2 cos, summed over both view orders.
        Scalar(NegativeCosine.ByolSymmetric(p1, z1, p2, z2)).Should().BeApproximately(2 + 2 * NaiveD(p1, z2) + 2 + 2 * NaiveD(p2, z1), 1e-4);
    }

    [Fact]
    public void Closed_forms_and_symmetry()
    {
        Course.Init(0);
        var g = Course.Generator(9);
        var z = randn([5, 3], generator: g);
        Scalar(NegativeCosine.Loss(z * 2, z)).Should().BeApproximately(-1, 1e-5);
        Scalar(NegativeCosine.Loss(-z, z)).Should().BeApproximately(1, 1e-5);
        Scalar(NegativeCosine.Byol(z, z)).Should().BeApproximately(0, 1e-5);
        var (p1, z1, p2, z2) = (randn([5, 3], generator: g), randn([5, 3], generator: g), randn([5, 3], generator: g), randn([5, 3], generator: g));
        Scalar(NegativeCosine.SimSiam(p1, z1, p2, z2)).Should().BeApproximately(Scalar(NegativeCosine.SimSiam(p2, z2, p1, z1)), 1e-6);
    }

    [Fact]
    public void The_target_gets_no_gradient_and_the_prediction_a_finite_one()
    {
        Course.Init(0);
        var g = Course.Generator(10);
        var p = randn([4, 3], generator: g).requires_grad_(true);
        var z = randn([4, 3], generator: g).requires_grad_(true);
        NegativeCosine.Loss(p.detach(), z).requires_grad.Should().BeFalse("stop-gradient: z must not receive a gradient");
        var loss = NegativeCosine.ByolSymmetric(p, z, p, z);
        loss.backward();
        AllFinite(p.grad!).Should().BeTrue();
        (z.grad is null || z.grad.abs().sum().item<float>() == 0).Should().BeTrue();
    }
}
