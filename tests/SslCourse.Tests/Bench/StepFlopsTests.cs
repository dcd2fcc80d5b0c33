using FluentAssertions;
using SslCourse.Cli.Bench;
using Xunit;

namespace SslCourse.Tests.Bench;

/// <summary>The step's FLOP count against the count written out by hand for one architecture.</summary>
public class StepFlopsTests
{
    [Fact]
    public void The_forward_count_is_the_sum_of_every_convolution_and_linear_layer()
    {
        // ConvNet widths 32-64-128-256 on a 32x32 RGB image: convolutions at 32, 16, 8 and 4 pixels, then 256 -> 2048 -> 128.
        double expected = 2.0 * (3 * 32 * 9 * 32 * 32 + 32 * 64 * 9 * 16 * 16 + 64 * 128 * 9 * 8 * 8 + 128 * 256 * 9 * 4 * 4)
                          + 2.0 * (256 * 2048 + 2048 * 128);
        StepFlops.ForwardPerImage([32, 64, 128, 256], 3, 32, 2048, 128).Should().Be(expected);
        StepFlops.SimClrStep([32, 64, 128, 256], 256).Should().Be(3 * 2 * 256 * expected, "two views per image, backward = 2x forward");
    }

    [Fact]
    public void The_matmul_rate_is_positive_and_finite()
    {
        Course.Init(0);
        var rate = StepFlops.MatmulPeak(n: 128, repeats: 3);
        double.IsFinite(rate).Should().BeTrue();
        rate.Should().BePositive();
    }
}
