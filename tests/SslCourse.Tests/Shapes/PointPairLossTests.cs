using FluentAssertions;
using SslCourse.Losses;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Shapes;

public class PointPairLossTests
{
    public PointPairLossTests() => Course.Init(0);

    // Straight from the definition: per shape, mean over same-piece pairs i != j of d^2 plus mean over
    // different-piece pairs of max(0, m - d)^2, on L2-normalised features; then the mean over shapes.
    static double Naive(float[,,] f, long[,] pieces, double margin)
    {
        int b = f.GetLength(0), m = f.GetLength(1), dim = f.GetLength(2);
        double total = 0;
        for (int s = 0; s < b; s++)
        {
            var z = new double[m, dim];
            for (int i = 0; i < m; i++)
            {
                double norm = 0;
                for (int k = 0; k < dim; k++) norm += f[s, i, k] * f[s, i, k];
                norm = Math.Max(Math.Sqrt(norm), 1e-12);
                for (int k = 0; k < dim; k++) z[i, k] = f[s, i, k] / norm;
            }
            double pull = 0, push = 0; int np = 0, nn = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                {
                    if (i == j) continue;
                    double d2 = 0;
                    for (int k = 0; k < dim; k++) d2 += (z[i, k] - z[j, k]) * (z[i, k] - z[j, k]);
                    if (pieces[s, i] == pieces[s, j]) { pull += d2; np++; }
                    else { double gap = Math.Max(0, margin - Math.Sqrt(d2)); push += gap * gap; nn++; }
                }
            total += (np > 0 ? pull / np : 0) + (nn > 0 ? push / nn : 0);
        }
        return total / b;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(1.7)]
    public void Matches_the_pairwise_loop(double margin)
    {
        var g = Course.Generator(5);
        using var f = randn(new long[] { 3, 12, 6 }, generator: g);
        using var p = randint(0, 3, new long[] { 3, 12 }, generator: g);
        using var pcopy = p.clone();
        pcopy[2] = zeros(12, dtype: ScalarType.Int64); // one shape with a single piece: no push term
        var fa = new float[3, 12, 6]; var pa = new long[3, 12];
        var fd = f.data<float>().ToArray(); var pd = pcopy.data<long>().ToArray();
        for (int s = 0; s < 3; s++) for (int i = 0; i < 12; i++) { pa[s, i] = pd[s * 12 + i]; for (int k = 0; k < 6; k++) fa[s, i, k] = fd[(s * 12 + i) * 6 + k]; }
        using var loss = PointPairLoss.Loss(f, pcopy, margin);
        loss.shape.Should().BeEmpty();
        loss.item<float>().Should().BeApproximately((float)Naive(fa, pa, margin), 1e-5f);
    }

    [Fact]
    public void Closed_forms_collapse_costs_margin_squared_and_orthogonal_groups_cost_nothing()
    {
        // Every point has the same feature, two pieces: pull 0, push (m - 0)^2 = 1 (up to float32 rounding of
        // distances from the Gram matrix: 2 - 2 z.z is ~1e-7, its square root ~3e-4).
        using var same = ones(1, 4, 3);
        using var twoPieces = tensor(new long[] { 0, 0, 1, 1 }).reshape(1, 4);
        using var collapsed = PointPairLoss.Loss(same, twoPieces);
        collapsed.item<float>().Should().BeApproximately(1f, 2e-3f);
        // Each piece on its own axis: same-piece distance 0, different pieces sqrt(2) > margin 1.
        using var axes = tensor(new float[] { 1, 0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 0 }).reshape(1, 4, 3);
        using var perfect = PointPairLoss.Loss(axes, twoPieces);
        perfect.item<float>().Should().BeApproximately(0f, 1e-6f);
    }

    [Fact]
    public void Gradients_stay_finite_when_features_coincide()
    {
        using var f = ones(2, 5, 4).requires_grad_(true);
        using var p = tensor(new long[] { 0, 0, 1, 1, 2, 0, 1, 1, 1, 1 }).reshape(2, 5);
        using var loss = PointPairLoss.Loss(f, p);
        loss.backward();
        f.grad!.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var act = () => PointPairLoss.Loss(ones(1, 4, 3), zeros(1, 4, dtype: ScalarType.Int64), margin: 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*margin*0*");
        var act2 = () => PointPairLoss.Loss(ones(1, 4, 3), zeros(1, 5, dtype: ScalarType.Int64));
        act2.Should().Throw<ArgumentException>().WithMessage("*pieces*[1, 4]*[1, 5]*");
    }
}
