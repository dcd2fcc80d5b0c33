using FluentAssertions;
using SslCourse.Augment;
using SslCourse.Display;
using SslCourse.Models;
using SslCourse.Tests.Augment;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

/// <summary>The library pieces of notebooks 04 (colorization) and 05 (context prediction), against naive references.</summary>
public class PretextPiecesTests
{
    [Fact]
    public void AbPlane_grid_puts_each_bin_at_its_a_and_b()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var bins = AbBins.Default;
        var values = arange(bins.Count, dtype: ScalarType.Float32);
        var grid = AbPlane.Grid(bins, values);
        var c = bins.Centres.data<float>().ToArray();
        float aMin = Enumerable.Range(0, bins.Count).Min(i => c[2 * i]), bMax = Enumerable.Range(0, bins.Count).Max(i => c[2 * i + 1]);
        int filled = 0;
        for (int r = 0; r < grid.GetLength(0); r++)
            for (int col = 0; col < grid.GetLength(1); col++)
            {
                if (double.IsNaN(grid[r, col])) continue;
                filled++;
                int q = (int)grid[r, col];
                c[2 * q].Should().Be(aMin + 10 * col, "column = (a - a_min) / 10");
                c[2 * q + 1].Should().Be(bMax - 10 * r, "row 0 holds the largest b");
            }
        filled.Should().Be(bins.Count);
    }

    [Fact]
    public void AbPlane_swatches_paint_each_bin_in_its_own_colour()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var bins = AbBins.Default;
        var image = AbPlane.Swatches(bins, lightness: 60, cell: 2, background: 0.5f);
        var (rows, cols, h, w) = AbPlane.Layout(bins);
        image.shape.Should().Equal(3, 2 * h, 2 * w);
        for (int q = 0; q < bins.Count; q += 37)
        {
            var lab = tensor(new[] { 60f, bins.Centres[q, 0].item<float>(), bins.Centres[q, 1].item<float>() }).view(1, 3, 1, 1);
            var expected = Lab.ToRgb(lab).flatten();
            var got = image[.., 2 * rows[q] + 1, 2 * cols[q]];
            got.allclose(expected, 1e-5, 1e-5).Should().BeTrue($"bin {q}");
        }
        image[.., 0, 0].allclose(full(3, 0.5f)).Should().BeTrue("the corner of the plane is out of gamut");
    }

    [Fact]
    public void Planted_cue_matches_a_per_pixel_loop_and_projecting_removes_it()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = rand(2, 3, 5, 7, generator: Course.Generator(3));
        var cued = ChromaticCue.Plant(x, 0.4);
        var d = ChromaticCue.GreenMagenta;
        double corner = 2.0 * 2.0 + 3.0 * 3.0;
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 7; j++)
                {
                    double r2 = ((i - 2.0) * (i - 2.0) + (j - 3.0) * (j - 3.0)) / corner;
                    for (int ch = 0; ch < 3; ch++)
                        cued[n, ch, i, j].item<float>().Should().BeApproximately(x[n, ch, i, j].item<float>() + (float)(0.4 * r2 * d[ch]), 1e-5f);
                }
        // projection: naive per-pixel dot product with a non-unit direction
        float[] dir = [2, 0, -1];
        var p = ChromaticCue.ProjectOut(x, dir);
        double norm = Math.Sqrt(5);
        for (int i = 0; i < 5; i++)
        {
            double dot = 0;
            for (int ch = 0; ch < 3; ch++) dot += x[1, ch, i, 2].item<float>() * dir[ch] / norm;
            for (int ch = 0; ch < 3; ch++) p[1, ch, i, 2].item<float>().Should().BeApproximately((float)(x[1, ch, i, 2].item<float>() - dot * dir[ch] / norm), 1e-5f);
        }
        ChromaticCue.ProjectOut(cued).allclose(ChromaticCue.ProjectOut(x), 1e-5, 1e-5).Should().BeTrue("the cue lies along the projected axis");
        (ChromaticCue.ProjectOut(x) * tensor(d.ToArray()).view(1, 3, 1, 1)).sum(1).abs().max().item<float>().Should().BeLessThan(1e-5f);
        FluentActions.Invoking(() => ChromaticCue.Plant(x, -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*strength*");
    }

    [Fact]
    public void Context_pair_residuals_are_zero_without_jitter_and_bounded_with_it()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var rigid = new ContextPairs(6, 3, 0);
        var (l, t, lf) = rigid.Sample(300, 40, 40, Course.Generator(5));
        ContextPairGeometry.Residual(l, t, lf, 9).abs().max().item<long>().Should().Be(0);
        var loose = new ContextPairs(6, 3, 2);
        (l, t, lf) = loose.Sample(3000, 40, 40, Course.Generator(6));
        var r = ContextPairGeometry.Residual(l, t, lf, 9);
        r.abs().max().item<long>().Should().Be(4);
        // naive reference for the directions: labels read row by row over the 3x3 grid, skipping the centre
        var dirs = ContextPairGeometry.Direction(arange(8, dtype: ScalarType.Int64));
        int k = 0;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                if (dy == 0 && dx == 0) continue;
                dirs[k, 0].item<long>().Should().Be(dy); dirs[k, 1].item<long>().Should().Be(dx);
                ContextPairGeometry.Names[k].Should().NotBeNullOrEmpty();
                k++;
            }
    }

    [Fact]
    public void Context_predictor_shares_its_encoder_and_learns_a_separable_task()
    {
        Course.Init(2);
        using var scope = NewDisposeScope();
        var model = new ContextPredictor(new ConvNet(3, width: 0.25), 64, hidden: 32);
        var g = Course.Generator(7);
        var centre = rand(16, 3, 16, 16, generator: g);
        var neighbour = rand(16, 3, 16, 16, generator: g);
        var labels = randint(0, 8, new long[] { 16 }, dtype: ScalarType.Int64, generator: g);
        model.call(centre, neighbour).shape.Should().Equal(16, 8);
        // the relative position is written into the neighbour's brightness: a learnable task
        var lit = neighbour * 0.2 + labels.to_type(ScalarType.Float32).view(16, 1, 1, 1) / 8;
        var opt = optim.Adam(model.parameters(), lr: 1e-2);
        double first = 0, last = 0;
        for (int s = 0; s < 40; s++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            var loss = model.Loss(centre, lit, labels);
            loss.backward();
            opt.step();
            if (s == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        last.Should().BeLessThan(first * 0.5);
        model.Accuracy(centre, lit, labels, batchSize: 5).Should().BeGreaterThan(0.5);
        model.training.Should().BeTrue("Accuracy restores the training mode");
        model.Encoder.parameters().Count().Should().BeGreaterThan(0);
        model.parameters().Count().Should().Be(model.Encoder.parameters().Count() + 6, "one encoder, shared, plus the fusion MLP's 6 tensors");
    }

    [Fact]
    public void Boxes_draw_one_pixel_outlines_and_leave_the_input_alone()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var image = zeros(3, 10, 10);
        var drawn = Boxes.Draw(image, new[] { (2L, 3L, 4L, (1f, 0f, 0f)), (8L, 8L, 4L, (0f, 0f, 1f)) });
        image.sum().item<float>().Should().Be(0);
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 10; x++)
            {
                bool onRed = y >= 2 && y <= 5 && x >= 3 && x <= 6 && (y == 2 || y == 5 || x == 3 || x == 6);
                bool onBlue = y >= 8 && x >= 8 && (y == 8 || x == 8);
                drawn[0, y, x].item<float>().Should().Be(onRed ? 1 : 0, $"red at ({y}, {x})");
                drawn[2, y, x].item<float>().Should().Be(onBlue ? 1 : 0, $"blue at ({y}, {x})");
            }
    }
}
