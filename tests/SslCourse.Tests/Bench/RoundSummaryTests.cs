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
