using FluentAssertions;
using SslCourse.Display;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Display;

public class PictureTests
{
    [Fact]
    public void An_image_grid_with_captions_and_title_renders()
    {
        Course.Init(0);
        var images = rand(new long[] { 6, 3, 16, 16 }, generator: Course.Generator(1));
        var grid = new ImageGrid(images, columns: 3, captions: ["a", "b", "c", "d", "e", "f"], title: "six images");
        var png = PngAssert.Valid(grid, name: "imagegrid");
        png.Width.Should().Be(3 * (16 * 6 + 2) + 2);
    }

    [Fact]
    public void A_point_cloud_shows_three_views_side_by_side_and_projects_like_the_named_views()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        var sphere = randn(new long[] { 150, 3 }, generator: g);
        sphere = sphere / sphere.norm(1, keepdim: true);
        var cube = rand(new long[] { 150, 3 }, generator: g) * 2 - 1 + tensor(new float[] { 3, 0, 0 });
        var view = PointCloudView.From(cat([sphere, cube]), cat([zeros(150, ScalarType.Int64), ones(150, ScalarType.Int64)]), ["sphere", "cube"], title: "Two shapes");
        var image = PngAssert.Valid(view, 3 * 360 + PointCloudView.LegendWidth, 360 + 28, "pointcloud");
        PngAssert.Fraction(image, Palette.HexColor(1), 60).Should().BeGreaterThan(0.001, "the cube's points are drawn in the second colour");

        var p = PointCloudView.From(tensor(new float[,] { { 1, 2, 3 } }));
        var (u, v, _) = p.Project(new ViewAngle("top", 0, 90));
        (u[0], v[0]).Should().Be((1.0, 2.0));
        (u, v, _) = p.Project(new ViewAngle("front", 0, 0));
        (u[0], v[0]).Should().Be((1.0, 3.0));
        var wrong = () => PointCloudView.From(zeros(4, 2));
        wrong.Should().Throw<ArgumentException>().WithMessage("*[N, 3]*[4,2]*");
    }

    [Fact]
    public void A_thumbnail_scatter_places_framed_thumbnails()
    {
        Course.Init(0);
        var g = Course.Generator(4);
        var labels = arange(4).repeat_interleave(10);
        var images = rand(new long[] { 40, 1, 12, 12 }, generator: g) * 0.3f + labels.view(-1, 1, 1, 1).to_type(ScalarType.Float32) * 0.2f;
        var points = randn(new long[] { 40, 2 }, generator: g) + labels.view(-1, 1).to_type(ScalarType.Float32) * 3;
        var chart = ThumbnailScatter.From(points, images, labels, ["zero", "one", "two", "three"], title: "Embedding");
        var image = PngAssert.Valid(chart, 800, 640, "thumbnails");
        for (int c = 0; c < 4; c++) PngAssert.Fraction(image, Palette.HexColor(c), 20).Should().BeGreaterThan(0.0005, $"class {c} frames are drawn");
    }

    [Fact]
    public void Audio_writes_a_valid_wav_and_an_inline_player()
    {
        var samples = Enumerable.Range(0, 8000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 8000.0))).ToArray();
        var audio = new Audio(samples, 8000, title: "A 440 <Hz>");
        var wav = audio.ToWav();
        wav.Length.Should().Be(44 + 2 * 8000);
        System.Text.Encoding.ASCII.GetString(wav, 0, 4).Should().Be("RIFF");
        System.Text.Encoding.ASCII.GetString(wav, 8, 8).Should().Be("WAVEfmt ");
        BitConverter.ToInt32(wav, 24).Should().Be(8000, "the sample rate");
        BitConverter.ToInt16(wav, 44 + 2 * 2).Should().Be((short)Math.Round(samples[2] * short.MaxValue));
        audio.ToHtml().Should().Contain("<audio controls").And.Contain("data:audio/wav;base64," + Convert.ToBase64String(wav)).And.Contain("A 440 &lt;Hz&gt;");
        audio.ToString().Should().Be("Audio 'A 440 <Hz>': 1.00 s, 8000 Hz, mono, peak 0.50");
        var bad = () => new Audio(samples, 0);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*sampleRate*");
    }

    [Fact]
    public void An_interactive_chart_carries_its_picture_inside_its_html()
    {
        Course.Init(0);
        var points = randn(new long[] { 30, 3 }, generator: Course.Generator(5));
        var chart = InteractiveChart.Scatter3D(points, arange(30) % 3, ["a", "b", "c"], title: "cloud", hover: Enumerable.Range(0, 30).Select(i => $"point {i} </script>").ToList());
        var html = chart.ToHtml();
        html.Should().Contain($"<div id=\"{chart.Id}\"").And.Contain("data:image/png;base64,").And.Contain("Plotly.newPlot('" + chart.Id + "'");
        html.Should().Contain(InteractiveChart.PlotlyJsUrl).And.Contain("require.config");
        html.Should().NotContain("point 0 </script>", "hover text cannot close the script");
        html.Split("</script>").Length.Should().Be(2, "one script element");
        PngAssert.Valid(chart.ToPng(), 3 * 360 + PointCloudView.LegendWidth, 360 + 28, "interactive-static");
    }
}
