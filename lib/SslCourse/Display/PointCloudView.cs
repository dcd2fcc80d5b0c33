using ScottPlot;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>One camera for a static 3-D view: rotate the cloud by <paramref name="Azimuth"/> degrees about the z axis,
/// then look at it from <paramref name="Elevation"/> degrees above the x-y plane (90 = from the top), orthographically.</summary>
public sealed record ViewAngle(string Name, double Azimuth, double Elevation);

/// <summary>
/// A 3-D point cloud (points [N, 3], coloured by class label or by an RGB colour per point) drawn as a PNG from
/// several view angles side by side (orthographic projections; by default top, front and an oblique view).
/// <see cref="Interactive"/> gives the rotatable plotly.js version, which carries this PNG as its offline picture.
/// </summary>
/// <example><code>PointCloudView.From(points, labels, ["sphere", "cube"], title: "Point clouds")</code></example>
public sealed class PointCloudView : IPngRenderable
{
    internal readonly double[] X, Y, Z;
    internal readonly int[]? Labels;
    internal readonly string[]? Colours; // "#RRGGBB" per point

    /// <summary>Name per class label.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Title above the views.</summary>
    public string? Title { get; }

    /// <summary>Names of the x, y and z axes.</summary>
    public IReadOnlyList<string> AxisNames { get; init; } = ["x", "y", "z"];

    /// <summary>The cameras, one picture each (default: top, front, oblique).</summary>
    public IReadOnlyList<ViewAngle> Views { get; init; } = [new("top (x, y)", 0, 90), new("front (x, z)", 0, 0), new("oblique", 35, 25)];

    /// <summary>Size of each view in pixels (square).</summary>
    public int ViewSize { get; init; } = 360;

    /// <summary>Marker diameter in pixels.</summary>
    public float MarkerSize { get; init; } = 5;

    /// <summary>Extra width of the last view, which holds the legend (class labels only).</summary>
    public const int LegendWidth = 110;

    PointCloudView(double[] x, double[] y, double[] z, int[]? labels, string[]? colours, IReadOnlyList<string>? classNames, string? title)
    {
        X = x; Y = y; Z = z; Labels = labels; Colours = colours; ClassNames = classNames; Title = title;
    }

    /// <summary>A view of <paramref name="points"/> [N, 3], coloured by <paramref name="labels"/> [N] (class indices) or,
    /// when <paramref name="colours"/> [N, 3] (RGB in 0..1) is given, by those colours.</summary>
    public static PointCloudView From(Tensor points, Tensor? labels = null, IReadOnlyList<string>? classNames = null, string? title = null, Tensor? colours = null)
    {
        if (points.dim() != 2 || points.shape[1] != 3)
            throw new ArgumentException($"points: expected [N, 3], got [{string.Join(",", points.shape)}].", nameof(points));
        using var scope = NewDisposeScope();
        var flat = points.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        int n = flat.Length / 3;
        var x = Enumerable.Range(0, n).Select(i => flat[3 * i]).ToArray();
        var y = Enumerable.Range(0, n).Select(i => flat[3 * i + 1]).ToArray();
        var z = Enumerable.Range(0, n).Select(i => flat[3 * i + 2]).ToArray();
        int[]? labelArray = labels is null ? null : Chart.Labels(labels, n, nameof(labels));
        string[]? hex = null;
        if (colours is not null)
        {
            if (colours.dim() != 2 || colours.shape[0] != n || colours.shape[1] != 3)
                throw new ArgumentException($"colours: expected [{n}, 3] RGB in 0..1, got [{string.Join(",", colours.shape)}].", nameof(colours));
            var c = colours.detach().cpu().clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
            hex = Enumerable.Range(0, n).Select(i => $"#{c[3 * i]:X2}{c[3 * i + 1]:X2}{c[3 * i + 2]:X2}").ToArray();
        }
        return new PointCloudView(x, y, z, labelArray, hex, classNames, title);
    }

    /// <summary>Number of points.</summary>
    public int Count => X.Length;

    /// <summary>The projection of every point for <paramref name="view"/>: screen coordinates (U, V) and depth (larger is farther).</summary>
    public (double[] U, double[] V, double[] Depth) Project(ViewAngle view)
    {
        double a = view.Azimuth * Math.PI / 180, e = view.Elevation * Math.PI / 180;
        int n = Count;
        var u = new double[n]; var v = new double[n]; var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x1 = X[i] * Math.Cos(a) - Y[i] * Math.Sin(a), y1 = X[i] * Math.Sin(a) + Y[i] * Math.Cos(a), z1 = Z[i];
            u[i] = x1;
            v[i] = z1 * Math.Cos(e) + y1 * Math.Sin(e);
            d[i] = y1 * Math.Cos(e) - z1 * Math.Sin(e);
        }
        return (u, v, d);
    }

    /// <summary>The chart of one view.</summary>
    public Chart ViewChart(ViewAngle view, bool legend)
    {
        var (u, v, depth) = Project(view);
        var plot = Chart.NewPlot(view.Name, AxisLabel(view, 0), AxisLabel(view, 1));
        // far points first, so near points are drawn over them (grouped by colour, farthest group member decides)
        var order = Enumerable.Range(0, Count).OrderByDescending(i => depth[i]).ToArray();
        var groups = order.GroupBy(i => Colours?[i] ?? Palette.HexColor(Labels?[i] ?? 0)).ToList();
        foreach (var g in groups)
        {
            var idx = g.ToArray();
            plot.Add.Markers(idx.Select(i => u[i]).ToArray(), idx.Select(i => v[i]).ToArray(), MarkerShape.FilledCircle, MarkerSize, Color.FromHex(g.Key).WithAlpha(0.8));
        }
        if (legend && Labels != null && Colours == null)
        {
            foreach (var c in Labels.Distinct().Order())
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = Chart.ClassName(ClassNames, c), MarkerShape = MarkerShape.FilledCircle, MarkerSize = 8, MarkerColor = Palette.Color(c), LineWidth = 0 });
            plot.ShowLegend(Edge.Right);
        }
        plot.Axes.SquareUnits();
        bool hasLegend = legend && Labels != null && Colours == null;
        return new Chart(plot).WithSize(ViewSize + (hasLegend ? LegendWidth : 0), ViewSize);
    }

    string? AxisLabel(ViewAngle view, int screenAxis)
    {
        if (view.Azimuth % 360 != 0) return null;
        return (screenAxis, view.Elevation) switch
        {
            (0, _) => AxisNames[0],
            (1, 90) => AxisNames[1],
            (1, 0) => AxisNames[2],
            _ => null,
        };
    }

    /// <inheritdoc/>
    public byte[] ToPng() => new Figure(Views.Select((v, k) => (IPngRenderable)ViewChart(v, legend: k == Views.Count - 1)).ToList(), Views.Count) { Title = Title }.ToPng();

    /// <summary>The rotatable version (plotly.js) with this picture as its offline image.</summary>
    public InteractiveChart Interactive() => InteractiveChart.Scatter3D(this);

    /// <inheritdoc/>
    public override string ToString() => $"Point cloud of {Count} points" + (Title == null ? "" : $": {Title}");
}
