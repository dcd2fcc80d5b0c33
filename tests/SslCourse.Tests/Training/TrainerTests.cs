using System.Diagnostics;
using FluentAssertions;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public class TrainerTests
{
    static (nn.Module<Tensor, Tensor> Model, Tensor X, Tensor Y) Regression()
    {
        var g = Course.Generator(1);
        var x = randn([64, 4], generator: g);
        var y = x.matmul(tensor(new float[] { 1, -2, 0.5f, 3 }).reshape(4, 1)); // [64, 4] x [4, 1] -> [64, 1]
        return (nn.Linear(4, 1), x, y);
    }

    [Fact]
    public void Lowers_the_loss_follows_the_schedule_and_calls_the_monitor()
    {
        Course.Init(0);
        var (model, x, y) = Regression();
        var opt = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        int calls = 0;
        var history = Trainer.Run(new TrainOptions { Steps = 60, Schedule = new CosineSchedule(0.05, 60, 5), MonitorEvery = 20, ShowProgress = false },
            opt, _ => nn.functional.mse_loss(model.call(x), y),
            monitor: () => { calls++; return new Dictionary<string, double> { ["calls"] = calls }; });
        history.CompletedSteps.Should().Be(60);
        history.Loss[^1].Should().BeLessThan(history.Loss[0] * 0.01);
        history.LearningRate[0].Should().BeApproximately(0.01, 1e-12);
        history.LearningRate[4].Should().BeApproximately(0.05, 1e-12);
        history.Metrics["calls"].Select(m => m.Step).Should().Equal(20, 40, 60);
        history.StoppedByBudget.Should().BeFalse();
    }

    [Fact]
    public void Stops_cleanly_at_the_time_budget()
    {
        Course.Init(0);
        var (model, x, y) = Regression();
        var opt = optim.Adam(model.parameters());
        var history = Trainer.Run(new TrainOptions { Steps = 100_000, TimeBudget = TimeSpan.FromMilliseconds(200), ShowProgress = false },
            opt, _ => { Thread.Sleep(5); return nn.functional.mse_loss(model.call(x), y); });
        history.StoppedByBudget.Should().BeTrue();
        history.CompletedSteps.Should().BeInRange(1, 99_999);
        history.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_non_finite_loss_is_reported_with_its_step()
    {
        Course.Init(0);
        var (model, x, _) = Regression();
        var opt = optim.SGD(model.parameters(), 0.1);
        FluentActions.Invoking(() => Trainer.Run(new TrainOptions { Steps = 5, ShowProgress = false }, opt,
                step => step == 2 ? model.call(x).sum() * float.NaN : model.call(x).pow(2).mean()))
            .Should().Throw<InvalidOperationException>().WithMessage("*NaN at step 3*");
    }

    [Fact]
    public void Five_hundred_steps_leave_no_tensors_behind()
    {
        Course.Init(0);
        var (model, x, y) = Regression();
        var opt = optim.Adam(model.parameters(), lr: 1e-3);
        Func<int, Tensor> step = _ => nn.functional.mse_loss(model.call(x + 0.01 * randn_like(x)), y);
        Trainer.Run(new TrainOptions { Steps = 20, ShowProgress = false }, opt, step); // warm-up (optimizer state)
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveBefore = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;
        Trainer.Run(new TrainOptions { Steps = 500, ShowProgress = false }, opt, step);
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveAfter = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;
        (liveAfter - liveBefore).Should().BeLessThan(10, "every step's tensors die with its dispose scope");
        (rssAfter - rssBefore).Should().BeLessThan(32L << 20);
    }
}
