using FluentAssertions;
using SslCourse.Cli.Bench;
using Xunit;

namespace SslCourse.Tests.Bench;

public class RoundSummaryTests
{
    [Fact]
    public void Median_min_and_max_of_the_rounds()
    {
        var odd = RoundSummary.Of([1.10, 1.00, 1.01, 0.95, 1.30]);
        odd.Should().Be(new RoundSummary(1.01, 0.95, 1.30, 5));
        odd.Describe().Should().Be("median 1.01 (min 0.95, max 1.30) over 5 alternated round(s)");
        RoundSummary.Of([2.0, 1.0, 4.0, 3.0]).Median.Should().Be(2.5);      // even count: mean of the middle two
        RoundSummary.Of([1.15]).Should().Be(new RoundSummary(1.15, 1.15, 1.15, 1));
        RoundSummary.DefaultRounds.Should().BeGreaterThanOrEqualTo(5);
        FluentActions.Invoking(() => RoundSummary.Of([])).Should().Throw<ArgumentException>().WithMessage("*at least one round*");
        FluentActions.Invoking(() => RoundSummary.Of([1.0, double.NaN])).Should().Throw<ArgumentException>().WithMessage("*finite*");
    }
}

public class StepFormatTests
{
    [Fact]
    public void Every_format_of_the_default_step_runs_and_the_channels_last_layout_computes_the_same_convolution()
    {
        foreach (var format in Enum.GetValues<StepFormat>())
        {
            var r = StepBenchmarks.SimClrStep(batch: 8, steps: 1, warmup: 1, width: 0.25, format: format);
            (double.IsFinite(r.ImagesPerSecond) && r.ImagesPerSecond > 0).Should().BeTrue(format.ToString());
        }
        // The layout the ChannelsLast format feeds: NCHW shape with NHWC strides, and the same numbers out of a convolution.
        Course.Init(0);
        var x = TorchSharp.torch.rand([2, 3, 8, 8], generator: Course.Generator(1));
        var nhwc = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        nhwc.shape.Should().Equal(2, 3, 8, 8);
        nhwc.stride().Should().Equal(192, 1, 24, 3);
        using var conv = TorchSharp.torch.nn.Conv2d(3, 4, 3, padding: 1);
        (conv.call(nhwc) - conv.call(x)).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }
}
