using FluentAssertions;
using SslCourse.Labels;
using Xunit;

namespace SslCourse.Tests.Labels;

public class PowerLawFitTests
{
    [Fact]
    public void Exact_power_law_data_gives_back_its_parameters()
    {
        var truth = new LearningCurve(A: 0.9, B: 0.35, C: 0.08);
        double[] n = [10, 30, 100, 300, 1000, 3000];
        var fit = PowerLawFit.WithFloor(n, n.Select(truth.Accuracy).ToArray(), floor: 0.08);
        fit.A.Should().BeApproximately(0.9, 1e-9);
        fit.B.Should().BeApproximately(0.35, 1e-9);
        fit.C.Should().Be(0.08);
        fit.LabelsFor(truth.Accuracy(5000)).Should().BeApproximately(5000, 1e-4);
    }

    [Fact]
    public void Noisy_points_match_the_normal_equations_solved_by_hand()
    {
        double[] n = [20, 50, 100, 500, 2000];
        double[] acc = [0.41, 0.55, 0.62, 0.71, 0.78];
        double c = 0.1;
        // naive reference: solve [sum 1, sum x; sum x, sum x^2] [u; v] = [sum y; sum x y] by Cramer's rule
        double s1 = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
        for (int i = 0; i < n.Length; i++)
        {
            double x = Math.Log(n[i]), y = Math.Log(1 - acc[i] - c);
            s1 += 1; sx += x; sxx += x * x; sy += y; sxy += x * y;
        }
        double det = s1 * sxx - sx * sx;
        double u = (sy * sxx - sx * sxy) / det, v = (s1 * sxy - sx * sy) / det;
        var fit = PowerLawFit.WithFloor(n, acc, c);
        fit.A.Should().BeApproximately(Math.Exp(u), 1e-9);
        fit.B.Should().BeApproximately(-v, 1e-9);
    }

    [Fact]
    public void With_the_floor_LearningCurve_Fit_chose_it_gives_the_same_curve()
    {
        double[] n = [10, 20, 50, 100, 200, 500, 1000];
        double[] acc = [0.52, 0.6, 0.67, 0.72, 0.755, 0.79, 0.81];
        var searched = LearningCurve.Fit(n, acc);
        var fixedFloor = PowerLawFit.WithFloor(n, acc, searched.C);
        fixedFloor.A.Should().BeApproximately(searched.A, 1e-9);
        fixedFloor.B.Should().BeApproximately(searched.B, 1e-9);
    }

    [Fact]
    public void Bad_inputs_name_the_value()
    {
        double[] n = [10, 100];
        ((Action)(() => PowerLawFit.WithFloor(n, [0.5, 0.7], floor: 1.5))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("floor");
        ((Action)(() => PowerLawFit.WithFloor(n, [0.5, 0.95], floor: 0.1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("accuracies");
        ((Action)(() => PowerLawFit.WithFloor([10, -1], [0.5, 0.7]))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("labels");
        ((Action)(() => PowerLawFit.WithFloor([10, 10], [0.5, 0.7]))).Should().Throw<ArgumentException>().WithParameterName("labels");
        ((Action)(() => PowerLawFit.WithFloor(n, [0.5]))).Should().Throw<ArgumentException>().WithParameterName("accuracies");
    }
}
