using FluentAssertions;
using SslCourse.AudioVideo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.AudioVideo;

public class ContrastiveRandomWalkTests
{
    /// <summary>The paper's loss with loops: transition rows as softmaxes, walks as explicit sums over paths.</summary>
    static double Naive(double[,,,] x, double tau)
    {
        int B = x.GetLength(0), T = x.GetLength(1), P = x.GetLength(2), D = x.GetLength(3);
        // normalise
        var y = (double[,,,])x.Clone();
        for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) for (int p = 0; p < P; p++)
        {
            double n = 0; for (int d = 0; d < D; d++) n += y[b, t, p, d] * y[b, t, p, d];
            n = Math.Max(Math.Sqrt(n), 1e-12); for (int d = 0; d < D; d++) y[b, t, p, d] /= n;
        }
        double[,] Step(int b, int from, int to)
        {
            var a = new double[P, P];
            for (int i = 0; i < P; i++)
            {
                double z = 0;
                for (int j = 0; j < P; j++) { double s = 0; for (int d = 0; d < D; d++) s += y[b, from, i, d] * y[b, to, j, d]; a[i, j] = Math.Exp(s / tau); z += a[i, j]; }
                for (int j = 0; j < P; j++) a[i, j] /= z;
            }
            return a;
        }
        double[,] Mul(double[,] a, double[,] c)
        {
            var o = new double[P, P];
            for (int i = 0; i < P; i++) for (int j = 0; j < P; j++) for (int k = 0; k < P; k++) o[i, j] += a[i, k] * c[k, j];
            return o;
        }
        double total = 0;
        for (int k = 1; k < T; k++)
        {
            double ce = 0;
            for (int b = 0; b < B; b++)
            {
                var w = Step(b, 0, 1);
                for (int t = 1; t < k; t++) w = Mul(w, Step(b, t, t + 1));
                for (int t = k; t > 0; t--) w = Mul(w, Step(b, t, t - 1));
                for (int i = 0; i < P; i++) ce -= Math.Log(w[i, i]);
            }
            total += ce / (B * P);
        }
        return total / (T - 1);
    }

    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(4, 0.2)]
    public void Loss_matches_a_naive_loop(int T, double tau)
    {
        Course.Init(0);
        var x = randn(new long[] { 2, T, 5, 3 }, generator: Course.Generator(11), dtype: ScalarType.Float64);
        var arr = new double[2, T, 5, 3];
        var flat = x.data<double>().ToArray();
        int q = 0;
        for (int b = 0; b < 2; b++) for (int t = 0; t < T; t++) for (int p = 0; p < 5; p++) for (int d = 0; d < 3; d++) arr[b, t, p, d] = flat[q++];
        ContrastiveRandomWalk.Loss(x, tau).item<double>().Should().BeApproximately(Naive(arr, tau), 1e-9);
    }

    [Fact]
    public void Closed_forms_identical_nodes_give_log_P_and_distinct_static_nodes_give_zero()
    {
        Course.Init(0);
        // all nodes equal: every transition is uniform, the return probability is 1/P
        var same = ones(1, 3, 4, 2, dtype: ScalarType.Float64);
        ContrastiveRandomWalk.Loss(same, 0.1).item<double>().Should().BeApproximately(Math.Log(4), 1e-9);
        // orthogonal nodes that stay put, low temperature: the walker always comes home
        var eye4 = eye(4, dtype: ScalarType.Float64).unsqueeze(0).unsqueeze(0).repeat(1, 3, 1, 1);   // [1, 3, 4, 4]
        ContrastiveRandomWalk.Loss(eye4, 0.01).item<double>().Should().BeLessThan(1e-6);
        FluentActions.Invoking(() => ContrastiveRandomWalk.Loss(eye4, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*temperature*");
        FluentActions.Invoking(() => ContrastiveRandomWalk.Loss(eye4.narrow(1, 0, 1), 0.1)).Should().Throw<ArgumentException>().WithMessage("*T >= 2*");
    }
}
