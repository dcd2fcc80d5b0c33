using FluentAssertions;
using SslCourse.Display;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Display;

public class ChartTests
{
    static readonly double[] Loss = Enumerable.Range(1, 50).Select(i => 2.3 * Math.Exp(-i / 15.0) + 0.1).ToArray();

    [Fact]
    public void A_line_chart_with_two_series_is_a_600x400_png_in_both_colours()
    {
        var chart = Chart.Line([new("train", Loss), new("test", Loss.Select(v => v + 0.2).ToArray())],
            title: "Loss", xLabel: "epoch", yLabel: "loss");
        var image = PngAssert.Valid(chart, 600, 400, "line");
        PngAssert.Fraction(image, Palette.HexColor(0), 30).Should().BeGreaterThan(0.001);
        PngAssert.Fraction(image, Palette.HexColor(1), 30).Should().BeGreaterThan(0.001);
    }

    [Fact]
    public void Log_axes_and_markers_render_and_reject_non_positive_values()
    {
        double[] fractions = [0.01, 0.1, 1.0];
        var chart = Chart.Line([new("SimCLR", [0.6, 0.75, 0.86], fractions), new("supervised", [0.4, 0.7, 0.9], fractions)],
            title: "Learning curve", xLabel: "label fraction", yLabel: "accuracy", logX: true, markers: true);
        PngAssert.Valid(chart.WithSize(500, 350), 500, 350, "line-logx");
        var bad = () => Chart.Line([new("x", [1.0, 0.0])], logY: true).ToPng();
        bad.Should().Throw<ArgumentException>().WithMessage("*positive*0*");
    }

    [Fact]
    public void Grouped_bars_show_every_group_colour()
    {
        var chart = Chart.Bars(["1%", "10%", "100%"],
            [new("SimCLR", [0.62, 0.78, 0.88]), new("BYOL", [0.64, 0.80, 0.89]), new("supervised", [0.35, 0.70, 0.91])],
            title: "Linear-probe accuracy", yLabel: "accuracy", valueFormat: "0.00");
        var image = PngAssert.Valid(chart, 600, 400, "bars");
        for (int g = 0; g < 3; g++) PngAssert.Fraction(image, Palette.HexColor(g), 20).Should().BeGreaterThan(0.01, $"group {g} has bars");
        var mismatch = () => Chart.Bars(["a", "b"], [new("s", [1.0])]);
        mismatch.Should().Throw<ArgumentException>().WithMessage("*1 values for 2 categories*");
    }

    [Fact]
    public void A_scatter_from_tensors_colours_each_class_and_draws_a_background()
    {
        Course.Init(0);
        var g = Course.Generator(3);
        var labels = arange(3).repeat_interleave(40);
        var centres = tensor(new double[,] { { -2, 0 }, { 2, 0 }, { 0, 2.5 } }).to_type(ScalarType.Float32);
        var points = centres.index_select(0, labels) + 0.6f * randn(new long[] { 120, 2 }, generator: g);
        var grid = new double[40, 40];
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 40; j++)
                grid[i, j] = -4 + 8 * (j + 0.5) / 40 < 0 ? 0 : 1;
        var chart = Chart.Scatter(points, labels, ["cat", "dog", "bird"], title: "Toy data", xLabel: "x1", yLabel: "x2",
            background: new Background(grid, -4, 4, -3, 5, Classes: true));
        var image = PngAssert.Valid(chart, 600, 400, "scatter");
        for (int c = 0; c < 3; c++) PngAssert.Fraction(image, Palette.HexColor(c), 30).Should().BeGreaterThan(0.0015, $"class {c} is drawn");
        var wrong = () => Chart.Scatter(zeros(5, 3));
        wrong.Should().Throw<ArgumentException>().WithMessage("*[N, 2]*[5,3]*");
    }

    [Fact]
    public void A_heatmap_has_labels_and_values_and_rejects_wrong_label_counts()
    {
        var values = new double[4, 5];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 5; c++)
                values[r, c] = r * 0.2 + c * 0.05;
        var chart = Chart.Heatmap(values, ["crop", "colour", "blur", "grey"], ["crop", "colour", "blur", "grey", "rotate"],
            title: "Accuracy by augmentation pair", xLabel: "second", yLabel: "first");
        PngAssert.Valid(chart, 600, 400, "heatmap");
        var wrong = () => Chart.Heatmap(values, rowLabels: ["a"]);
        wrong.Should().Throw<ArgumentException>().WithMessage("*1 labels for 4 rows*");
    }

    [Fact]
    public void A_histogram_of_two_series_and_a_row_of_charts_render()
    {
        var g = new Random(1);
        double[] pos = Enumerable.Range(0, 500).Select(_ => 0.7 + 0.1 * Gauss(g)).ToArray();
        double[] neg = Enumerable.Range(0, 500).Select(_ => 0.0 + 0.2 * Gauss(g)).ToArray();
        var hist = Chart.Histogram([new("positive pairs", pos), new("negative pairs", neg)], bins: 40, title: "Cosine similarity", xLabel: "cos");
        PngAssert.Valid(hist, 600, 400, "histogram");
        var row = Chart.Row(hist, Chart.Line([new("loss", Loss)], title: "loss").WithSize(300, 400));
        PngAssert.Valid(row, 900, 400, "row");
        var grid = Chart.Grid(2, hist, hist, hist);
        PngAssert.Valid(grid, 1200, 800);
    }

    static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
