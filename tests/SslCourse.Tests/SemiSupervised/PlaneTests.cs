using FluentAssertions;
using SslCourse.SemiSupervised;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.SemiSupervised;

public class PlaneTests
{
    public PlaneTests() => Course.Init(seed: 2);

    [Fact]
    public void Grid_points_run_row_by_row_from_the_bottom_left()
    {
        var plane = new Plane(0, 2, 10, 14, 3);
        var p = plane.Points();
        p.shape.Should().Equal(9, 2);
        p[0].data<float>().ToArray().Should().Equal(0f, 10f);
        p[1].data<float>().ToArray().Should().Equal(1f, 10f);
        p[3].data<float>().ToArray().Should().Equal(0f, 12f);
        p[8].data<float>().ToArray().Should().Equal(2f, 14f);
    }

    [Fact]
    public void The_density_matches_the_kernel_sum_and_integrates_to_about_one()
    {
        var points = tensor(new float[,] { { 0, 0 }, { 1, 0 } });
        var plane = new Plane(-4, 5, -4.5, 4.5, 91);
        var density = plane.Density(points, bandwidth: 0.5);
        double cell = (9.0 / 90) * (9.0 / 90);
        (density.sum().item<float>() * cell).Should().BeApproximately(1.0, 0.01);
        // naive value at the grid point (0, 0): half of each kernel's value there
        int index = 45 * 91 + 40; // y = 0 is row 45, x = 0 is column 40
        plane.Points()[index].abs().max().item<float>().Should().BeLessThan(1e-6f);
        double expected = 0.5 * (1 + Math.Exp(-1 / (2 * 0.25))) / (2 * Math.PI * 0.25);
        density[index].item<float>().Should().BeApproximately((float)expected, 1e-5f);
    }

    [Fact]
    public void The_window_is_widened_around_the_points()
    {
        var plane = Plane.Around(tensor(new float[,] { { 0, 0 }, { 10, 20 } }), resolution: 5, margin: 0.1);
        plane.Should().Be(new Plane(-1, 11, -2, 22, 5));
    }
}
