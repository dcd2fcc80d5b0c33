using FluentAssertions;
using SslCourse.Cli.Bench;
using SslCourse.Data;
using Xunit;

namespace SslCourse.Tests.Bench;

/// <summary>The bench's semi-supervised comparison, on a tiny budget: every method and the warm-up are scored, from the
/// same label draw, and a draw reproduces.</summary>
public class SemiSupervisedComparisonTests
{
    [Fact]
    public void One_tiny_draw_scores_every_method_and_the_warm_up_and_reproduces()
    {
        Course.Init(0);
        var world = new ToyObjects(seed: 0, size: 32);
        var pool = world.Train(300);
        var test = world.Test(100);
        var first = SemiSupervisedComparison.Run(pool, test, draw: 0, warmSteps: 2, extraSteps: 2, width: 0.25);
        first.Accuracy.Keys.Should().BeEquivalentTo(SemiSupervisedComparison.Methods);
        first.Accuracy.Values.Append(first.WarmUpAccuracy).Should().OnlyContain(a => a >= 0 && a <= 1);
        first.MaskRate.Should().NotBeEmpty().And.OnlyContain(m => m >= 0 && m <= 1);
        var again = SemiSupervisedComparison.Run(pool, test, draw: 0, warmSteps: 2, extraSteps: 2, width: 0.25);
        again.Accuracy.Should().Equal(first.Accuracy);
        again.WarmUpAccuracy.Should().Be(first.WarmUpAccuracy);
    }

    [Fact]
    public void It_runs_on_grayscale_Fashion_MNIST_too()
    {
        Course.Init(0);
        var pool = FashionMnist.Load(FashionMnistSplit.Train).Take(300);
        var test = FashionMnist.Load(FashionMnistSplit.Test).Take(100);
        var run = SemiSupervisedComparison.Run(pool, test, draw: 1, warmSteps: 2, extraSteps: 2, width: 0.25);
        run.Accuracy.Values.Should().HaveCount(SemiSupervisedComparison.Methods.Count).And.OnlyContain(a => a >= 0 && a <= 1);
    }
}
