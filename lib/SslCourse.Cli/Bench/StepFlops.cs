using System.Diagnostics;
using static TorchSharp.torch;

namespace SslCourse.Cli.Bench;

/// <summary>
/// The arithmetic of the default SimCLR training step, counted from the architecture, and the machine's fp32 matmul
/// rate, so the bench can say what fraction of the hardware the step uses. A multiply-add counts as 2 FLOPs; backward
/// costs twice the forward (a gradient for the inputs and one for the weights), so training costs 3x the forward.
/// BatchNorm, ReLU, pooling and the loss are left out (a few percent of the convolutions).
/// </summary>
public static class StepFlops
{
    /// <summary>Forward FLOPs of one image through <see cref="Models.ConvNet"/> (3x3 convolutions, padding 1, each block but
    /// the last halving the side) and SimCLR's projection head (D -> hidden -> projection).</summary>
    /// <param name="widths">the ConvNet's block widths</param>
    /// <param name="inChannels">image channels</param>
    /// <param name="side">image side</param>
    /// <param name="hidden">the projection head's hidden width</param>
    /// <param name="projection">the projection's output width</param>
    public static double ForwardPerImage(IReadOnlyList<int> widths, int inChannels, int side, int hidden, int projection)
    {
        double flops = 0;
        int cin = inChannels, s = side;
        for (int i = 0; i < widths.Count; i++)
        {
            flops += 2.0 * cin * widths[i] * 9 * s * s;
            cin = widths[i];
            if (i < widths.Count - 1) s /= 2;
        }
        return flops + 2.0 * (widths[^1] * (double)hidden + hidden * (double)projection);
    }

    /// <summary>FLOPs of one training step of SimCLR on <paramref name="batch"/> source images (two views each).</summary>
    public static double SimClrStep(IReadOnlyList<int> widths, int batch, int side = 32, int hidden = 2048, int projection = 128) =>
        3 * 2.0 * batch * ForwardPerImage(widths, 3, side, hidden, projection);

    /// <summary>The fp32 matmul rate (FLOP/s) of <c>torch.mm</c> on two n x n matrices with the current threads: the
    /// median of <paramref name="repeats"/> timed products after one warm-up.</summary>
    public static double MatmulPeak(int n = 1024, int repeats = 7)
    {
        using var scope = NewDisposeScope();
        var g = Course.Generator(0);
        var a = rand([n, n], generator: g);
        var b = rand([n, n], generator: g);
        a.mm(b).Dispose();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var t = Stopwatch.GetTimestamp();
            using var c = a.mm(b);
            times.Add(Stopwatch.GetElapsedTime(t).TotalSeconds);
        }
        return 2.0 * n * n * n / RoundSummary.MedianOf(times);
    }
}
