using FluentAssertions;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class TokenWindowsTests
{
    [Fact]
    public void Sample_returns_contiguous_slices_of_the_stream()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var stream = arange(100, dtype: ScalarType.Int64) * 3;
        var windows = TokenWindows.Sample(stream, batch: 50, length: 10, Course.Generator(4));
        windows.shape.Should().Equal(50, 10);
        var rows = windows.data<long>().ToArray();
        for (int b = 0; b < 50; b++)
        {
            long start = rows[b * 10] / 3;
            start.Should().BeInRange(0, 90);
            for (int i = 0; i < 10; i++) rows[b * 10 + i].Should().Be((start + i) * 3);
        }
        TokenWindows.Sample(stream, 50, 10, Course.Generator(4)).equal(windows).all().item<bool>().Should().BeTrue();
        FluentActions.Invoking(() => TokenWindows.Sample(stream, 1, 101, Course.Generator(0))).Should().Throw<ArgumentException>().WithMessage("*101*");
    }

    [Fact]
    public void Consecutive_cuts_non_overlapping_windows()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var w = TokenWindows.Consecutive(arange(25, dtype: ScalarType.Int64), 8);
        w.shape.Should().Equal(3, 8);
        w[2, 7].item<long>().Should().Be(23);
    }
}
