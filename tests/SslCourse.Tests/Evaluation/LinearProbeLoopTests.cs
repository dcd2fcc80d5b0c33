using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Models;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Tests.Evaluation;

/// <summary>The linear probe runs on the course's one loop (<c>Trainer.Run</c>) and gives the numbers of the plain epoch
/// loop it replaced, step for step.</summary>
public class LinearProbeLoopTests
{
    static (Tensor X, Tensor Y) Blobs(int n, int seed)
    {
        var g = Course.Generator(seed);
        var y = randint(0, 3, [n], generator: g);                                    // [N]
        var centres = randn([3, 8], generator: g) * 2;                               // [3, 8]
        return (centres.index_select(0, y) + randn([n, 8], generator: g), y);        // [N, 8]
    }

    /// <summary>The probe's epoch loop as it was written before it moved onto Trainer.Run.</summary>
    static (Tensor Weight, int BestEpoch, int Epochs) PlainLoop(Tensor x, Tensor y, int classes, LinearProbeOptions o)
    {
        var g = Course.Generator(o.Seed);
        long n = x.shape[0];
        int nVal = o.HeldOut > 0 ? (int)Math.Floor(n * o.HeldOut) : 0;
        if (nVal < Math.Max(1, o.MinHeldOut) || n - nVal < 1) nVal = 0;
        var perm = randperm(n, generator: g);
        var xTrain = x.index_select(0, perm[nVal..]);
        var yTrain = y.index_select(0, perm[nVal..]);
        Tensor? xVal = null, yVal = null;
        if (nVal > 0) { xVal = x.index_select(0, perm[..nVal]); yVal = y.index_select(0, perm[..nVal]); }
        var mean = xTrain.mean([0]);
        var std = xTrain.std(0).clamp_min(1e-6);
        xTrain = (xTrain - mean) / std;
        if (xVal is not null) xVal = (xVal - mean) / std;
        var probe = new LinearClassifier((int)x.shape[1], classes);
        using (no_grad()) foreach (var p in probe.parameters()) p.zero_();
        var opt = optim.Adam(probe.parameters(), lr: o.LearningRate, weight_decay: o.WeightDecay);
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epochs = 0, sinceBest = 0;
        var best = probe.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        long nTrain = xTrain.shape[0];
        for (int epoch = 1; epoch <= o.MaxEpochs; epoch++)
        {
            epochs = epoch;
            probe.train();
            var order = randperm(nTrain, generator: g);
            for (long s = 0; s < nTrain; s += o.BatchSize)
            {
                var idx = order[(int)s..(int)Math.Min(nTrain, s + o.BatchSize)];
                opt.zero_grad();
                cross_entropy(probe.call(xTrain.index_select(0, idx)), yTrain.index_select(0, idx)).backward();
                opt.step();
            }
            if (xVal is null) { bestEpoch = epoch; continue; }
            double valLoss;
            using (no_grad()) { probe.eval(); valLoss = cross_entropy(probe.call(xVal), yVal!).item<float>(); }
            if (valLoss < bestLoss - 1e-6)
            {
                bestLoss = valLoss; bestEpoch = epoch; sinceBest = 0;
                using (no_grad()) foreach (var (k, v) in probe.state_dict()) best[k].copy_(v);
            }
            else if (++sinceBest >= o.Patience) break;
        }
        if (xVal is not null) using (no_grad()) foreach (var (k, v) in probe.state_dict()) v.copy_(best[k]);
        return (probe.state_dict().First(kv => kv.Key.EndsWith("weight")).Value.detach().clone(), bestEpoch, epochs);
    }

    [Theory]
    [InlineData(0.2, 3)]     // held out: early stopping decides the epoch
    [InlineData(0.0, 10)]    // nothing held out: all epochs
    public void Fit_on_the_one_loop_matches_the_plain_epoch_loop(double heldOut, int patience)
    {
        Course.Init(0);
        var (x, y) = Blobs(300, seed: 3);
        var o = new LinearProbeOptions { MaxEpochs = 25, Patience = patience, BatchSize = 32, HeldOut = heldOut, Seed = 5 };
        var (weight, bestEpoch, epochs) = PlainLoop(x, y, 3, o);
        using var fit = LinearProbe.Fit(x, y, 3, o);
        fit.BestEpoch.Should().Be(bestEpoch);
        fit.Epochs.Should().Be(epochs);
        fit.Probe.state_dict().First(kv => kv.Key.EndsWith("weight")).Value.allclose(weight, 0, 0).Should().BeTrue("the same seed gives the same weights");

        var h = fit.History;
        int perEpoch = (int)Math.Ceiling((heldOut > 0 ? 300 - 60 : 300) / 32.0);
        h.CompletedSteps.Should().Be(epochs * perEpoch);
        h.Epochs.Should().BeApproximately(epochs, 1e-9);
        h.Final["train accuracy"].Should().Be(fit.TrainAccuracy);
        if (heldOut > 0) h.Final["validation accuracy"].Should().Be(fit.ValidationAccuracy);
        else h.Final.Should().NotContainKey("validation accuracy");
        h.StoppedEarly.Should().Be(epochs < o.MaxEpochs);
    }

    [Fact]
    public void Steps_caps_the_run_inside_an_epoch()
    {
        Course.Init(0);
        var (x, y) = Blobs(200, seed: 4);
        using var fit = LinearProbe.Fit(x, y, 3, new LinearProbeOptions { MaxEpochs = 50, BatchSize = 50, HeldOut = 0, Steps = 10 });
        fit.History.CompletedSteps.Should().Be(10);
        fit.Epochs.Should().Be(3, "10 steps of 4 per epoch end in the third epoch");
    }
}
