using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public class CollapseMonitorTests
{
    [Fact]
    public void Train_mode_std_uses_batch_statistics_and_leaves_the_model_unchanged()
    {
        Course.Init(0);
        var g = Course.Generator(3);
        var lin = nn.Linear(4, 6);
        var bn = nn.BatchNorm1d(6);
        var model = nn.Sequential(("lin", lin), ("bn", bn));
        // activations far from BatchNorm's initial running statistics (mean 0, var 1): a large common offset
        var x = randn(new long[] { 32, 4 }, generator: g) + 50;
        model.eval();
        var runningMean = bn.running_mean!.clone();
        var runningVar = bn.running_var!.clone();

        double std = CollapseMonitor.TrainModeStd(model, t => model.call(t), x);

        // naive reference: the linear layer, then per-column standardisation with the biased batch variance (eps 1e-5)
        var w = lin.weight!.detach().data<float>().ToArray(); var b = lin.bias!.detach().data<float>().ToArray();
        var xs = x.data<float>().ToArray();
        var y = new double[32, 6];
        for (int i = 0; i < 32; i++) for (int j = 0; j < 6; j++) { double s = b[j]; for (int k = 0; k < 4; k++) s += w[j * 4 + k] * xs[i * 4 + k]; y[i, j] = s; }
        var z = new float[32 * 6];
        for (int j = 0; j < 6; j++)
        {
            double mean = 0; for (int i = 0; i < 32; i++) mean += y[i, j]; mean /= 32;
            double v = 0; for (int i = 0; i < 32; i++) v += (y[i, j] - mean) * (y[i, j] - mean); v /= 32;
            for (int i = 0; i < 32; i++) z[i * 6 + j] = (float)((y[i, j] - mean) / Math.Sqrt(v + 1e-5));
        }
        std.Should().BeApproximately(CollapseMetrics.NormalisedStd(tensor(z).view(32, 6)), 1e-5);

        // the eval-mode measurement with stale running statistics sees one dominant direction: nearly collapsed
        Monitors.OutputStd(model, t => model.call(t), x).Should().BeLessThan(0.5 * std);
        model.training.Should().BeFalse("the training flag is restored");
        bn.running_mean!.allclose(runningMean).Should().BeTrue("running statistics are restored");
        bn.running_var!.allclose(runningVar).Should().BeTrue();
        lin.weight!.grad.Should().BeNull("no gradient is recorded");

        model.train();
        var m = CollapseMonitor.TrainMode(model, t => model.call(t), x, "z std")();
        m["z std"].Should().BeApproximately(std, 1e-6);
        model.training.Should().BeTrue();
        FluentActions.Invoking(() => CollapseMonitor.TrainModeStd(model, t => model.call(t), x[..1])).Should().Throw<ArgumentException>().WithMessage("*B = 1*");
    }
}
