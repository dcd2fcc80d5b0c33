using FluentAssertions;
using SslCourse.AudioVideo;
using SslCourse.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.AudioVideo;

public class FuturePredictionTests
{
    /// <summary>
    /// The regression behind notebook 11's blank future: behind a sigmoid, squared error on a ball that lights ~1% of
    /// the pixels saturated every logit and the predictor stayed black. A short run of the notebook's recipe must draw
    /// the ball where the future is certain, and draw it dimmer (spread over two places) where it branches.
    /// </summary>
    [Fact]
    public void A_short_squared_error_run_draws_the_certain_ball_and_dims_the_branching_one()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var (past, future, _) = ForkVideos.Batch(seed: 8, start: 0, count: 600);
        var (testPast, _, ambiguous) = ForkVideos.Batch(seed: 9, start: 0, count: 100);
        torch.manual_seed(0);
        var predictor = new VideoPredictor(history: 3, width: 16);
        var opt = torch.optim.Adam(predictor.parameters(), lr: 2e-3);
        var g = new Generator(9);
        for (int step = 0; step < 250; step++)
        {
            using var s = NewDisposeScope();
            var idx = randint(0, past.shape[0], [32], generator: g);
            var loss = nn.functional.mse_loss(predictor.call(past.index_select(0, idx)), future.index_select(0, idx));
            opt.zero_grad(); loss.backward(); opt.step();
        }
        predictor.eval();
        using var _ = no_grad();
        var peak = predictor.call(testPast).clamp(0, 1).flatten(1).amax([1]);                 // [N]
        double certain = peak.masked_select(ambiguous.logical_not()).mean().item<float>();
        double branching = peak.masked_select(ambiguous).mean().item<float>();
        certain.Should().BeGreaterThan(0.4, "the predictor must not stay black");
        branching.Should().BeLessThan(certain, "two possible futures share the brightness");
    }
}
