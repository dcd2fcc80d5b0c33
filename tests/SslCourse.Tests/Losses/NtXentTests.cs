using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public class NtXentTests
{
    /// <summary>SimCLR's formula, looped: for every anchor and each of its positives, -log(exp(s_ap/T) / sum_{k != a} exp(s_ak/T)).</summary>
    static double Naive(IReadOnlyList<Tensor> views, double t)
    {
        int v = views.Count, n = (int)views[0].shape[0];
        var rows = new List<double[]>();
        foreach (var view in views) { var a = D2(view); for (int i = 0; i < n; i++) rows.Add(Normalized(a, i)); }
        double total = 0; int count = 0;
        for (int a = 0; a < v * n; a++)
        {
            double den = 0;
            for (int k = 0; k < v * n; k++) if (k != a) den += Math.Exp(Dot(rows[a], rows[k]) / t);
            for (int p = 0; p < v * n; p++)
            {
                if (p == a || p % n != a % n) continue;
                total += -Math.Log(Math.Exp(Dot(rows[a], rows[p]) / t) / den);
                count++;
            }
        }
        return total / count;
    }

    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.2)]
    [InlineData(4, 1.0)]
    public void Matches_the_papers_formula_for_any_number_of_views(int viewCount, double temperature)
    {
        Course.Init(1);
        var g = Course.Generator(3);
        var views = Enumerable.Range(0, viewCount).Select(_ => randn([6, 5], generator: g)).ToList();
        Scalar(NtXent.Loss(views, temperature)).Should().BeApproximately(Naive(views, temperature), 1e-4);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.07)]
    public void Closed_form_two_orthogonal_pairs(double t)
    {
        Course.Init(0);
        // za = zb = [e1, e2]: each anchor sees its positive at similarity 1 and two negatives at 0.
        var z = tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2);
        double expected = Math.Log(1 + 2 * Math.Exp(-1 / t));
        Scalar(NtXent.Loss(z, z.clone(), t)).Should().BeApproximately(expected, 1e-5);
    }

    [Fact]
    public void Is_symmetric_in_the_views_and_in_the_order_of_samples()
    {
        Course.Init(0);
        var g = Course.Generator(5);
        var a = randn([8, 4], generator: g);
        var b = randn([8, 4], generator: g);
        var perm = randperm(8, generator: g);
        double l = Scalar(NtXent.Loss(a, b, 0.3));
        Scalar(NtXent.Loss(b, a, 0.3)).Should().BeApproximately(l, 1e-5);
        Scalar(NtXent.Loss(a[perm], b[perm], 0.3)).Should().BeApproximately(l, 1e-5);
    }

    [Fact]
    public void Is_stable_at_tiny_temperatures_and_gives_finite_gradients()
    {
        Course.Init(0);
        var g = Course.Generator(7);
        var a = randn([16, 8], generator: g).requires_grad_(true);
        var b = randn([16, 8], generator: g).requires_grad_(true);
        foreach (var t in new[] { 1e-3, 0.07, 10.0 })
        {
            a.grad?.zero_(); b.grad?.zero_();
            var loss = NtXent.Loss(a, b, t);
            AllFinite(loss).Should().BeTrue($"T = {t}");
            loss.backward();
            AllFinite(a.grad!).Should().BeTrue();
            AllFinite(b.grad!).Should().BeTrue();
        }
    }

    [Fact]
    public void Rejects_bad_temperature_and_single_view()
    {
        Course.Init(0);
        var a = randn(4, 3);
        FluentActions.Invoking(() => NtXent.Loss(a, a, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*temperature*");
        FluentActions.Invoking(() => NtXent.Loss([a], 0.5)).Should().Throw<ArgumentException>().WithMessage("*2 views*");
        FluentActions.Invoking(() => NtXent.Loss(a, randn(4, 2), 0.5)).Should().Throw<ArgumentException>();
    }
}
