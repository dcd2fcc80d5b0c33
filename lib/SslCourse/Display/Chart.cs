using System.Globalization;
using ScottPlot;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Display;

/// <summary>One named series of a line chart, bar group or histogram: <paramref name="Y"/> values, with
/// <paramref name="X"/> positions for lines (1, 2, 3, ... when null).</summary>
public sealed record Series(string Name, IReadOnlyList<double> Y, IReadOnlyList<double>? X = null);

/// <summary>A 2-D grid of values drawn under the points of a scatter plot (a decision boundary, a density).
/// <c>Values[i, j]</c> is the value at y = YMin + (i + 0.5) (YMax - YMin) / rows and x = XMin + (j + 0.5) (XMax - XMin) / cols,
/// so row 0 is the bottom row. With <paramref name="Classes"/> the values are class indices coloured like the points.</summary>
public sealed record Background(double[,] Values, double XMin, double XMax, double YMin, double YMax, bool Classes = false)
{
    /// <summary>From a tensor <c>[rows, cols]</c> (row 0 at <paramref name="yMin"/>).</summary>
    public static Background FromTensor(Tensor values, double xMin, double xMax, double yMin, double yMax, bool classes = false)
    {
        if (values.dim() != 2) throw new ArgumentException($"values: expected [rows, cols], got [{string.Join(",", values.shape)}].", nameof(values));
        return new Background(Chart.ToGrid(values), xMin, xMax, yMin, yMax, classes);
    }
}

/// <summary>
/// A chart rendered as a PNG (ScottPlot 5), so it shows in every notebook front end, offline and on GitHub.
/// Make one with <see cref="Line(IEnumerable{Series}, string?, string?, string?, bool, bool, bool)"/>, <see cref="Bars(IReadOnlyList{string}, IEnumerable{Series}, string?, string?, string)"/>,
/// <see cref="Scatter(Tensor, Tensor?, IReadOnlyList{string}?, string?, string?, string?, Background?)"/>,
/// <see cref="Heatmap(double[,], IReadOnlyList{string}?, IReadOnlyList{string}?, string?, string?, string?, string?)"/>
/// or <see cref="Histogram(IEnumerable{Series}, int, string?, string?, string?)"/>; put several side by side with
/// <see cref="Row"/> or <see cref="Grid"/>. <see cref="Plot"/> is the ScottPlot plot for anything else.
/// </summary>
/// <example><code>
/// Chart.Line([new("train", trainLoss), new("test", testLoss)], title: "Loss", xLabel: "epoch", yLabel: "loss", logY: true)
/// Chart.Row(Chart.Scatter(z, labels, classNames), Chart.Heatmap(confusion, names, names, format: "0"))
/// </code></example>
public sealed class Chart : IPngRenderable
{
    /// <summary>The ScottPlot plot, for tweaks the factories do not offer.</summary>
    public Plot Plot { get; }

    /// <summary>Width of the PNG in pixels.</summary>
    public int Width { get; private set; } = 600;

    /// <summary>Height of the PNG in pixels.</summary>
    public int Height { get; private set; } = 400;

    internal Chart(Plot plot) => Plot = plot;

    /// <summary>Sets the PNG size (pixels) and returns this chart.</summary>
    public Chart WithSize(int width, int height)
    {
        if (width < 50) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be at least 50 pixels.");
        if (height < 50) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be at least 50 pixels.");
        Width = width; Height = height;
        return this;
    }

    /// <inheritdoc/>
    public byte[] ToPng() => Plot.GetImageBytes(Width, Height, ImageFormat.Png);

    /// <summary>Writes the PNG to <paramref name="path"/>.</summary>
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    /// <summary>Plain-text summary (what a notebook shows when it cannot show images).</summary>
    public override string ToString() => $"Chart {Width}x{Height}";

    // ---------------------------------------------------------------- line charts

    /// <summary>A line chart of several named series (loss or accuracy curves, learning curves).</summary>
    /// <param name="series">The curves; a series without X is drawn at x = 1, 2, 3, ...</param>
    /// <param name="title">Title above the chart.</param>
    /// <param name="xLabel">Label of the x axis.</param>
    /// <param name="yLabel">Label of the y axis.</param>
    /// <param name="logX">Logarithmic x axis (values must be positive).</param>
    /// <param name="logY">Logarithmic y axis (values must be positive).</param>
    /// <param name="markers">Draw a marker at every point (good for few points, e.g. label fractions).</param>
    public static Chart Line(IEnumerable<Series> series, string? title = null, string? xLabel = null, string? yLabel = null,
        bool logX = false, bool logY = false, bool markers = false)
    {
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("series: at least one series is needed.", nameof(series));
        var plot = NewPlot(title, xLabel, yLabel);
        for (int s = 0; s < list.Count; s++)
        {
            var (name, ys, xsIn) = (list[s].Name, list[s].Y, list[s].X);
            if (xsIn != null && xsIn.Count != ys.Count)
                throw new ArgumentException($"series '{name}': {xsIn.Count} x values for {ys.Count} y values.", nameof(series));
            var xs = xsIn?.ToArray() ?? Enumerable.Range(1, ys.Count).Select(i => (double)i).ToArray();
            var y = ys.ToArray();
            if (logX) xs = Log10(xs, name, "x");
            if (logY) y = Log10(y, name, "y");
            var line = plot.Add.Scatter(xs, y, Palette.Color(s));
            line.LineWidth = 2;
            line.MarkerSize = markers || ys.Count == 1 ? 7 : 0;
            if (list.Count > 1) line.LegendText = name;
        }
        if (logX) LogTicks(plot.Axes.Bottom);
        if (logY) LogTicks(plot.Axes.Left);
        if (list.Count > 1) plot.ShowLegend(Edge.Right);
        return new Chart(plot);
    }


    // ---------------------------------------------------------------- bars

    /// <summary>Grouped bars: one group of bars per category, one bar per series (e.g. accuracy per method and label
    /// fraction), each labelled with its value.</summary>
    /// <param name="categories">The labels under the groups.</param>
    /// <param name="series">One series per bar colour; <c>Y[k]</c> is the bar of category k.</param>
    /// <param name="title">Title.</param>
    /// <param name="yLabel">Label of the value axis.</param>
    /// <param name="valueFormat">Format of the value written on each bar ("" for none).</param>
    public static Chart Bars(IReadOnlyList<string> categories, IEnumerable<Series> series, string? title = null, string? yLabel = null, string valueFormat = "0.###")
    {
        var list = series.ToList();
        if (categories.Count == 0) throw new ArgumentException("categories: at least one category is needed.", nameof(categories));
        if (list.Count == 0) throw new ArgumentException("series: at least one series is needed.", nameof(series));
        foreach (var s in list)
            if (s.Y.Count != categories.Count)
                throw new ArgumentException($"series '{s.Name}': {s.Y.Count} values for {categories.Count} categories.", nameof(series));
        var plot = NewPlot(title, null, yLabel);
        double width = 0.8 / list.Count;
        for (int g = 0; g < list.Count; g++)
        {
            var bars = new List<Bar>();
            for (int k = 0; k < categories.Count; k++)
            {
                double v = list[g].Y[k];
                bars.Add(new Bar
                {
                    Position = k + (g - (list.Count - 1) / 2.0) * width, Value = v, Size = width * 0.92,
                    FillColor = Palette.Color(g), LineWidth = 0,
                    Label = valueFormat.Length == 0 ? "" : v.ToString(valueFormat, CultureInfo.InvariantCulture),
                });
            }
            var plottable = plot.Add.Bars(bars);
            if (list.Count > 1) plottable.LegendText = list[g].Name;
            plottable.ValueLabelStyle.FontSize = list.Count * categories.Count > 16 ? 10 : 12;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, categories.Count).Select(k => (double)k).ToArray(), categories.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(0.05, 0.05, 0, 0.12);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        if (list.Count > 1) plot.ShowLegend(Edge.Right);
        return new Chart(plot);
    }


    // ---------------------------------------------------------------- scatter

    /// <summary>A scatter plot of 2-D points coloured by class, with a legend naming the classes and an optional
    /// <paramref name="background"/> (decision regions or a density) drawn under the points.</summary>
    /// <param name="x">X coordinates [N].</param>
    /// <param name="y">Y coordinates [N].</param>
    /// <param name="labels">Class index per point [N] (null: one colour).</param>
    /// <param name="classNames">Name per class index (null: "class 0", "class 1", ...).</param>
    /// <param name="title">Title.</param>
    /// <param name="xLabel">X axis label.</param>
    /// <param name="yLabel">Y axis label.</param>
    /// <param name="background">Grid of values drawn under the points.</param>
    /// <param name="markerSize">Marker diameter in pixels.</param>
    public static Chart Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int>? labels = null, IReadOnlyList<string>? classNames = null,
        string? title = null, string? xLabel = null, string? yLabel = null, Background? background = null, float markerSize = 7)
    {
        if (x.Count != y.Count) throw new ArgumentException($"y: {y.Count} values for {x.Count} x values.", nameof(y));
        if (labels != null && labels.Count != x.Count) throw new ArgumentException($"labels: {labels.Count} labels for {x.Count} points.", nameof(labels));
        var plot = NewPlot(title, xLabel, yLabel);
        if (background != null) AddBackground(plot, background);
        if (labels == null)
        {
            Outline(plot.Add.Markers(x.ToArray(), y.ToArray(), MarkerShape.FilledCircle, markerSize, Palette.Color(0)));
        }
        else
        {
            foreach (var cls in labels.Distinct().Order())
            {
                var idx = Enumerable.Range(0, x.Count).Where(i => labels[i] == cls).ToArray();
                var m = plot.Add.Markers(idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray(), MarkerShape.FilledCircle, markerSize, Palette.Color(cls));
                Outline(m);
                m.LegendText = ClassName(classNames, cls);
            }
            plot.ShowLegend(Edge.Right);
        }
        if (background != null)
        {
            plot.Axes.SetLimits(background.XMin, background.XMax, background.YMin, background.YMax);
        }
        return new Chart(plot);
    }

    /// <summary>A scatter plot of <paramref name="points"/> [N, 2] coloured by <paramref name="labels"/> [N] (integer class indices).</summary>
    public static Chart Scatter(Tensor points, Tensor? labels = null, IReadOnlyList<string>? classNames = null,
        string? title = null, string? xLabel = null, string? yLabel = null, Background? background = null)
    {
        var (x, y) = Points2(points, nameof(points));
        return Scatter(x, y, labels is null ? null : Labels(labels, x.Length, nameof(labels)), classNames, title, xLabel, yLabel, background);
    }

    // ---------------------------------------------------------------- heat maps

    /// <summary>A heat map with row and column labels and the value written in each cell (confusion matrices, the
    /// augmentation-pair study). <c>values[r, c]</c> is drawn in row r (row 0 at the top) and column c.</summary>
    /// <param name="values">The grid [rows, cols].</param>
    /// <param name="rowLabels">Labels of the rows (left), or null.</param>
    /// <param name="columnLabels">Labels of the columns (bottom), or null.</param>
    /// <param name="title">Title.</param>
    /// <param name="xLabel">Label under the column labels.</param>
    /// <param name="yLabel">Label beside the row labels.</param>
    /// <param name="format">Format of the values written in the cells; null writes none.</param>
    public static Chart Heatmap(double[,] values, IReadOnlyList<string>? rowLabels = null, IReadOnlyList<string>? columnLabels = null,
        string? title = null, string? xLabel = null, string? yLabel = null, string? format = "0.00")
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows == 0 || cols == 0) throw new ArgumentException("values: the grid is empty.", nameof(values));
        if (rowLabels != null && rowLabels.Count != rows) throw new ArgumentException($"rowLabels: {rowLabels.Count} labels for {rows} rows.", nameof(rowLabels));
        if (columnLabels != null && columnLabels.Count != cols) throw new ArgumentException($"columnLabels: {columnLabels.Count} labels for {cols} columns.", nameof(columnLabels));
        var plot = NewPlot(title, xLabel, yLabel);
        var colormap = new ScottPlot.Colormaps.Viridis();
        var hm = plot.Add.Heatmap(values);
        hm.Colormap = colormap;
        hm.Extent = new CoordinateRect(-0.5, cols - 0.5, -0.5, rows - 0.5); // row 0 of the array is drawn at the top
        plot.Add.ColorBar(hm);
        var finite = values.Cast<double>().Where(double.IsFinite).ToArray();
        double lo = finite.Length == 0 ? 0 : finite.Min(), hi = finite.Length == 0 ? 1 : finite.Max();
        if (format != null && rows * cols <= 400)
        {
            float size = Math.Clamp(220f / Math.Max(rows, cols), 8f, 14f);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    double v = values[r, c];
                    var text = plot.Add.Text(double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "", c, rows - 1 - r);
                    text.LabelStyle.FontSize = size;
                    text.LabelStyle.Alignment = Alignment.MiddleCenter;
                    double frac = hi > lo ? (v - lo) / (hi - lo) : 0.5;
                    text.LabelStyle.ForeColor = frac < 0.6 ? Colors.White : Colors.Black; // viridis is dark at the low end
                }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, cols).Select(c => (double)c).ToArray(),
            Enumerable.Range(0, cols).Select(c => columnLabels?[c] ?? c.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r)).ToArray(),
            Enumerable.Range(0, rows).Select(r => rowLabels?[r] ?? r.ToString(CultureInfo.InvariantCulture)).ToArray());
        if (columnLabels != null && cols * (columnLabels.Max(l => l.Length) * 7 + 10) > 460) // the labels would touch: slant them
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.HideGrid();
        return new Chart(plot);
    }

    /// <summary>A heat map of a tensor [rows, cols]; see <see cref="Heatmap(double[,], IReadOnlyList{string}?, IReadOnlyList{string}?, string?, string?, string?, string?)"/>.</summary>
    public static Chart Heatmap(Tensor values, IReadOnlyList<string>? rowLabels = null, IReadOnlyList<string>? columnLabels = null,
        string? title = null, string? xLabel = null, string? yLabel = null, string? format = "0.00")
    {
        if (values.dim() != 2) throw new ArgumentException($"values: expected [rows, cols], got [{string.Join(",", values.shape)}].", nameof(values));
        return Heatmap(ToGrid(values), rowLabels, columnLabels, title, xLabel, yLabel, format);
    }

    // ---------------------------------------------------------------- histograms

    /// <summary>Histograms of one or more series over shared bins (overlaid, semi-transparent), e.g. the cosine
    /// similarities of positive and negative pairs.</summary>
    /// <param name="series">The samples of each distribution (their <c>Y</c>).</param>
    /// <param name="bins">Number of bins over the range of all values.</param>
    /// <param name="title">Title.</param>
    /// <param name="xLabel">X axis label.</param>
    /// <param name="yLabel">Y axis label ("count" by default).</param>
    public static Chart Histogram(IEnumerable<Series> series, int bins = 30, string? title = null, string? xLabel = null, string? yLabel = "count")
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be at least 1.");
        var list = series.ToList();
        var all = list.SelectMany(s => s.Y).Where(double.IsFinite).ToArray();
        if (all.Length == 0) throw new ArgumentException("series: no finite values to count.", nameof(series));
        double lo = all.Min(), hi = all.Max();
        if (hi <= lo) { lo -= 0.5; hi += 0.5; }
        double w = (hi - lo) / bins;
        var plot = NewPlot(title, xLabel, yLabel);
        for (int s = 0; s < list.Count; s++)
        {
            var counts = new double[bins];
            foreach (var v in list[s].Y)
                if (double.IsFinite(v)) counts[Math.Clamp((int)((v - lo) / w), 0, bins - 1)]++;
            var color = Palette.Color(s).WithAlpha(list.Count > 1 ? 0.6 : 0.9);
            var bars = Enumerable.Range(0, bins).Select(b => new Bar { Position = lo + (b + 0.5) * w, Value = counts[b], Size = w, FillColor = color, LineWidth = 0 }).ToList();
            var hist = plot.Add.Bars(bars);
            if (list.Count > 1) hist.LegendText = list[s].Name;
        }
        plot.Axes.Margins(0.02, 0.02, 0, 0.08);
        if (list.Count > 1) plot.ShowLegend(Edge.Right);
        return new Chart(plot);
    }


    // ---------------------------------------------------------------- layouts

    /// <summary>Several charts (or image grids) side by side in one PNG.</summary>
    public static Figure Row(params IPngRenderable[] parts) => new(parts, parts.Length);

    /// <summary>Charts (or image grids) in a grid of <paramref name="columns"/> columns, one PNG.</summary>
    public static Figure Grid(int columns, params IPngRenderable[] parts) => new(parts, columns);

    // ---------------------------------------------------------------- helpers

    internal static Plot NewPlot(string? title, string? xLabel, string? yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(SansFont, FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
        if (!string.IsNullOrEmpty(title)) plot.Title(title, 16);
        if (!string.IsNullOrEmpty(xLabel)) plot.XLabel(xLabel, 14);
        if (!string.IsNullOrEmpty(yLabel)) plot.YLabel(yLabel, 14);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 12;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
        return plot;
    }

    /// <summary>A sans-serif font that is installed (ScottPlot's default falls back to a serif font on Linux).</summary>
    internal static readonly string SansFont =
        new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans" }.FirstOrDefault(f => SkiaSharp.SKFontManager.Default.GetFontFamilies().Contains(f)) ?? "Sans";

    internal static string ClassName(IReadOnlyList<string>? names, int cls) =>
        names != null && cls >= 0 && cls < names.Count ? names[cls] : $"class {cls}";

    static void Outline(ScottPlot.Plottables.Markers m)
    {
        m.MarkerStyle.OutlineColor = Colors.White;
        m.MarkerStyle.OutlineWidth = 0.8f;
    }

    static double[] Log10(double[] values, string series, string axis)
    {
        var bad = values.FirstOrDefault(v => !(v > 0));
        if (values.Any(v => !(v > 0)))
            throw new ArgumentException($"series '{series}': a logarithmic {axis} axis needs positive values, got {bad}.");
        return values.Select(Math.Log10).ToArray();
    }

    static void LogTicks(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G4", CultureInfo.InvariantCulture),
        };

    static void AddBackground(Plot plot, Background bg)
    {
        int rows = bg.Values.GetLength(0), cols = bg.Values.GetLength(1);
        var finite = bg.Values.Cast<double>().Where(double.IsFinite).ToArray();
        double lo = finite.Length == 0 ? 0 : finite.Min(), hi = finite.Length == 0 ? 1 : finite.Max();
        var colormap = new ScottPlot.Colormaps.Viridis();
        var rgb = new byte[rows, cols, 3];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double v = bg.Values[i, j];
                var (r, g, b) = bg.Classes ? Palette.Rgb((int)Math.Round(v))
                    : ToRgb(colormap.GetColor(hi > lo ? (v - lo) / (hi - lo) : 0.5));
                const double keep = 0.25; // pale: the points stay readable on top
                int row = rows - 1 - i;   // image row 0 is the top, grid row 0 is the bottom
                rgb[row, j, 0] = (byte)(255 - keep * (255 - r));
                rgb[row, j, 1] = (byte)(255 - keep * (255 - g));
                rgb[row, j, 2] = (byte)(255 - keep * (255 - b));
            }
        var image = new ScottPlot.Image(rgb);
        var rect = plot.Add.ImageRect(image, new CoordinateRect(bg.XMin, bg.XMax, bg.YMin, bg.YMax));
        rect.AntiAlias = false;
    }

    static (byte, byte, byte) ToRgb(Color c) => (c.R, c.G, c.B);

    internal static double[,] ToGrid(Tensor values)
    {
        using var scope = NewDisposeScope();
        var t = values.detach().cpu().to_type(ScalarType.Float64).contiguous();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var flat = t.data<double>().ToArray();
        var grid = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                grid[r, c] = flat[r * cols + c];
        return grid;
    }

    internal static (double[] X, double[] Y) Points2(Tensor points, string name)
    {
        if (points.dim() != 2 || points.shape[1] != 2)
            throw new ArgumentException($"{name}: expected [N, 2], got [{string.Join(",", points.shape)}].", name);
        using var scope = NewDisposeScope();
        var flat = points.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        int n = flat.Length / 2;
        return (Enumerable.Range(0, n).Select(i => flat[2 * i]).ToArray(), Enumerable.Range(0, n).Select(i => flat[2 * i + 1]).ToArray());
    }

    internal static int[] Labels(Tensor labels, int n, string name)
    {
        if (labels.numel() != n) throw new ArgumentException($"{name}: {labels.numel()} labels for {n} points.", name);
        using var scope = NewDisposeScope();
        return labels.detach().cpu().reshape(-1).to_type(ScalarType.Int32).data<int>().ToArray();
    }
}
