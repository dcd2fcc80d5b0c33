using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// Drawing on the ab plane of colorization (Zhang, Isola and Efros, ECCV 2016, their figure 2): every quantised bin of
/// <see cref="AbBins"/> is one cell of a square grid, a to the right and b upwards, so that per-bin quantities (the
/// bins' colours, the empirical prior, the rebalancing weights, one pixel's predicted distribution) can be shown as
/// pictures. Cells that are not bins (out of the sRGB gamut) are left empty.
/// </summary>
public static class AbPlane
{
    /// <summary>Grid position of every bin: (row, column) [Q] each, row 0 at the largest b, column 0 at the smallest a;
    /// and the grid's size.</summary>
    public static (long[] Rows, long[] Columns, int Height, int Width) Layout(AbBins bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var c = bins.Centres.data<float>().ToArray();                      // [Q * 2] (a, b) pairs
        int q = bins.Count, g = bins.GridSize;
        var ia = new long[q]; var ib = new long[q];
        for (int i = 0; i < q; i++) { ia[i] = (long)Math.Round(c[2 * i] / g); ib[i] = (long)Math.Round(c[2 * i + 1] / g); }
        long aMin = ia.Min(), bMax = ib.Max();
        int width = (int)(ia.Max() - aMin + 1), height = (int)(bMax - ib.Min() + 1);
        return (ib.Select(b => bMax - b).ToArray(), ia.Select(a => a - aMin).ToArray(), height, width);
    }

    /// <summary>Per-bin values <c>[Q]</c> laid out on the ab grid as <c>[rows, cols]</c> (row 0 at the largest b); cells
    /// without a bin hold <paramref name="missing"/> (NaN by default: a heat map leaves them blank).</summary>
    public static double[,] Grid(AbBins bins, Tensor values, double missing = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (values.dim() != 1 || values.shape[0] != bins.Count)
            throw new ArgumentException($"values must be [Q] with Q = {bins.Count}; got [{string.Join(", ", values.shape)}].", nameof(values));
        var (rows, cols, h, w) = Layout(bins);
        var v = values.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        var grid = new double[h, w];
        for (int r = 0; r < h; r++) for (int col = 0; col < w; col++) grid[r, col] = missing;
        for (int i = 0; i < v.Length; i++) grid[rows[i], cols[i]] = v[i];
        return grid;
    }

    /// <summary>The bins' own colours: an RGB picture <c>[3, rows * cell, cols * cell]</c> in 0..1 where each bin is a
    /// square of side <paramref name="cell"/> painted in Lab (<paramref name="lightness"/>, a, b); cells without a bin
    /// are painted <paramref name="background"/> (grey level).</summary>
    public static Tensor Swatches(AbBins bins, double lightness = 65, int cell = 1, float background = 0.12f)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (!(lightness >= 0 && lightness <= 100)) throw new ArgumentOutOfRangeException(nameof(lightness), lightness, "lightness must lie in 0..100.");
        if (cell < 1) throw new ArgumentOutOfRangeException(nameof(cell), cell, "cell must be positive.");
        using var scope = NewDisposeScope();
        var (rows, cols, h, w) = Layout(bins);
        var lab = cat([full(bins.Count, 1, lightness), bins.Centres], 1).T.reshape(1, 3, bins.Count, 1);  // [1, 3, Q, 1]
        var rgb = Lab.ToRgb(lab).reshape(3, bins.Count);                                                  // [3, Q]
        var image = full(3, h * w, background);                                                           // [3, h * w]
        var flat = tensor(rows.Zip(cols, (r, c) => r * w + c).ToArray());                                // [Q]
        image.index_copy_(1, flat, rgb);
        image = image.reshape(3, h, w);
        if (cell > 1) image = image.repeat_interleave(cell, 1).repeat_interleave(cell, 2);               // [3, h * cell, w * cell]
        return image.MoveToOuterDisposeScope();
    }

    /// <summary>Labels for the columns (a) and rows (b) of <see cref="Grid"/>: the value every <paramref name="every"/>
    /// cells, empty otherwise.</summary>
    public static (string[] Columns, string[] Rows) AxisLabels(AbBins bins, int every = 4)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "every must be positive.");
        var c = bins.Centres.data<float>().ToArray();
        var a = Enumerable.Range(0, bins.Count).Select(i => c[2 * i]).ToArray();
        var b = Enumerable.Range(0, bins.Count).Select(i => c[2 * i + 1]).ToArray();
        var (_, _, h, w) = Layout(bins);
        int g = bins.GridSize;
        float aMin = a.Min(), bMax = b.Max();
        var cols = Enumerable.Range(0, w).Select(i => (int)Math.Round(aMin + i * g) % (every * g) == 0 ? $"{aMin + i * g:0}" : "").ToArray();
        var rows = Enumerable.Range(0, h).Select(i => (int)Math.Round(bMax - i * g) % (every * g) == 0 ? $"{bMax - i * g:0}" : "").ToArray();
        return (cols, rows);
    }
}
