using SslCourse.Display;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>A rectangular window of the plane sampled on a regular grid, for drawing what a 2-D model does everywhere
/// (decision regions, densities) under a scatter of the data.</summary>
/// <param name="XMin">Left edge.</param>
/// <param name="XMax">Right edge.</param>
/// <param name="YMin">Bottom edge.</param>
/// <param name="YMax">Top edge.</param>
/// <param name="Resolution">Grid points along each axis.</param>
public sealed record Plane(double XMin, double XMax, double YMin, double YMax, int Resolution)
{
    /// <summary>The window around <paramref name="points"/> [N, 2], widened by <paramref name="margin"/> of its size on each side.</summary>
    public static Plane Around(Tensor points, int resolution = 80, double margin = 0.1)
    {
        if (points.dim() != 2 || points.shape[1] != 2) throw new ArgumentException($"points: expected [N, 2], got [{string.Join(", ", points.shape)}].", nameof(points));
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be >= 2.");
        var min = points.min(0).values.data<float>().ToArray();
        var max = points.max(0).values.data<float>().ToArray();
        double dx = (max[0] - min[0]) * margin, dy = (max[1] - min[1]) * margin;
        return new Plane(min[0] - dx, max[0] + dx, min[1] - dy, max[1] + dy, resolution);
    }

    /// <summary>The grid points, row by row from the bottom: [Resolution * Resolution, 2] float32.</summary>
    public Tensor Points()
    {
        using var scope = NewDisposeScope();
        var xs = linspace(XMin, XMax, Resolution);
        var ys = linspace(YMin, YMax, Resolution);
        var grid = meshgrid([ys, xs], indexing: "ij");                          // two [R, R]: row = y, column = x
        return stack([grid[1].flatten(), grid[0].flatten()], 1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>A background of class regions from one label per grid point ([R*R] int64, as ordered by <see cref="Points"/>).</summary>
    public Background Regions(Tensor labels) => Background.FromTensor(labels.reshape(Resolution, Resolution).to_type(ScalarType.Float64), XMin, XMax, YMin, YMax, classes: true);

    /// <summary>A background of values (e.g. a density) from one value per grid point.</summary>
    public Background Values(Tensor values) => Background.FromTensor(values.reshape(Resolution, Resolution).to_type(ScalarType.Float64), XMin, XMax, YMin, YMax);

    /// <summary>A Gaussian kernel density estimate of <paramref name="points"/> at every grid point:
    /// p(x) = 1/N sum_i N(x; x_i, h^2 I). <paramref name="bandwidth"/> h defaults to Scott's rule, N^(-1/6) times the mean standard deviation.</summary>
    /// <returns>[R*R] densities.</returns>
    public Tensor Density(Tensor points, double? bandwidth = null)
    {
        using var scope = NewDisposeScope();
        var x = points.to_type(ScalarType.Float32);
        double h = bandwidth ?? x.std(0).mean().item<float>() * Math.Pow(x.shape[0], -1.0 / 6);
        if (h <= 0) throw new ArgumentOutOfRangeException(nameof(bandwidth), h, "bandwidth must be > 0.");
        var d2 = cdist(Points(), x).pow(2);                                     // [R*R, N]
        var density = exp(-d2 / (2 * h * h)).mean([1]) / (2 * Math.PI * h * h);   // [R*R]
        return density.MoveToOuterDisposeScope();
    }
}
