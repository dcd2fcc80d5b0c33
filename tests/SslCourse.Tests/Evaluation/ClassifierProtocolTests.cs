using FluentAssertions;
using SslCourse.Evaluation;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Evaluation;

public class ClassifierProtocolTests
{
    /// <summary>Four well separated Gaussian clusters in 8-D: [N, 8] features, [N] labels.</summary>
    static (Tensor X, Tensor Y) Clusters(int n, Generator g, int classes = 4)
    {
        var centres = randn([classes, 8], generator: g) * 5;
        var y = randint(0, classes, [n], generator: g);
        return (centres[y] + randn([n, 8], generator: g), y);
    }

    [Fact]
    public void Knn_matches_a_naive_weighted_vote()
    {
        Course.Init(0);
        var g = Course.Generator(1);
        var (train, ty) = Clusters(40, g);
        var (test, _) = Clusters(10, g);
        int k = 7; double t = 0.1;
        var pred = D1(Knn.Predict(train, ty, test, 4, k, t, chunk: 3));
        var tr = D2(train); var te = D2(test); var labels = D1(ty);
        for (int i = 0; i < 10; i++)
        {
            var q = Normalized(te, i);
            var sims = Enumerable.Range(0, 40).Select(j => (Sim: Dot(q, Normalized(tr, j)), Label: (int)labels[j])).OrderByDescending(s => s.Sim).Take(k);
            var votes = new double[4];
            foreach (var (sim, label) in sims) votes[label] += Math.Exp(sim / t);
            pred[i].Should().Be(Array.IndexOf(votes, votes.Max()));
        }
    }

    [Fact]
    public void Knn_and_probe_are_near_perfect_on_separable_data_and_near_chance_on_shuffled_labels()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        var (all, ally) = Clusters(1200, g); // one draw: train and test share the cluster centres
        var (train, ty, test, sy) = (all[..800], ally[..800], all[800..], ally[800..]);
        Knn.Accuracy(train, ty, test, sy, 4).Should().BeGreaterThan(0.98);
        var (acc, probe) = LinearProbe.Evaluate(train, ty, test, sy, 4);
        acc.Should().BeGreaterThan(0.98);
        probe.ValidationAccuracy.Should().BeGreaterThan(0.95);
        probe.Epochs.Should().BeLessThanOrEqualTo(100);

        // labels shuffled at random (train and test alike): nothing to learn, so chance (1/4) within noise
        var shuffled = ty[randperm(800, generator: g)];
        var shuffledTest = sy[randperm(400, generator: g)];
        Knn.Accuracy(train, shuffled, test, shuffledTest, 4).Should().BeInRange(0.15, 0.35);
        var (accShuffled, _) = LinearProbe.Evaluate(train, shuffled, test, shuffledTest, 4);
        accShuffled.Should().BeInRange(0.15, 0.35);
    }

    [Fact]
    public void Probe_early_stopping_keeps_the_best_epoch_and_options_are_checked()
    {
        Course.Init(0);
        var g = Course.Generator(3);
        var x = randn([600, 16], generator: g);
        var y = randint(0, 3, [600], generator: g); // noise: the held-out loss stops improving early
        using var probe = LinearProbe.Fit(x, y, 3, new LinearProbeOptions { Patience = 3, MaxEpochs = 200 });
        probe.Epochs.Should().BeLessThan(200);
        probe.BestEpoch.Should().BeLessThanOrEqualTo(probe.Epochs);
        probe.Predict(x).shape.Should().Equal(600);
        FluentActions.Invoking(() => LinearProbe.Fit(x, y, 3, new LinearProbeOptions { HeldOut = 1 })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*HeldOut*");
        FluentActions.Invoking(() => LinearProbe.Fit(x, y, 3, new LinearProbeOptions { MinHeldOut = -1 })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MinHeldOut*");
    }

    [Fact]
    public void Probe_on_few_labels_holds_nothing_out_and_trains_every_epoch()
    {
        Course.Init(0);
        var g = Course.Generator(5);
        var x = randn([100, 16], generator: g);             // 10 labels per class: 10% would be a 10-image held-out split
        var y = arange(100).remainder(10);
        using var probe = LinearProbe.Fit(x, y, 10, new LinearProbeOptions { Patience = 2, MaxEpochs = 30 });
        probe.Epochs.Should().Be(30);
        probe.BestEpoch.Should().Be(30);
        double.IsNaN(probe.ValidationAccuracy).Should().BeTrue();

        using var split = LinearProbe.Fit(x, y, 10, new LinearProbeOptions { Patience = 2, MaxEpochs = 30, MinHeldOut = 10 });
        double.IsNaN(split.ValidationAccuracy).Should().BeFalse();   // the old behaviour, asked for explicitly
    }

    [Fact]
    public void Few_shot_draws_k_per_class_and_prototypes_classify_separable_data()
    {
        Course.Init(0);
        var g = Course.Generator(4);
        var (x, y) = Clusters(300, g);
        var idx = FewShot.Sample(y, 5, 4, Course.Generator(9));
        idx.shape.Should().Equal(20);
        D1(y[idx]).GroupBy(v => v).Select(grp => grp.Count()).Should().Equal(5, 5, 5, 5);
        D1(FewShot.Sample(y, 5, 4, Course.Generator(9))).Should().Equal(D1(idx), "the same seed draws the same support set");
        FewShot.PrototypeAccuracy(x[idx], y[idx], x, y, 4).Should().BeGreaterThan(0.97);
        FewShot.ProbeAccuracy(x[idx], y[idx], x, y, 4, epochs: 50).Should().BeGreaterThan(0.9);
        FluentActions.Invoking(() => FewShot.Sample(y, 1000, 4, g)).Should().Throw<ArgumentException>().WithMessage("*fewer than shots*");
    }

    [Fact]
    public void Confusion_matrix_and_per_class_accuracy()
    {
        Course.Init(0);
        var pred = tensor(new long[] { 0, 1, 1, 2, 2, 2 });
        var truth = tensor(new long[] { 0, 1, 2, 2, 2, 0 });
        var m = Metrics.ConfusionMatrix(pred, truth, 4);
        m[0, 0].Should().Be(1); m[0, 2].Should().Be(1); m[1, 1].Should().Be(1); m[2, 1].Should().Be(1); m[2, 2].Should().Be(2);
        Metrics.Accuracy(pred, truth).Should().BeApproximately(4 / 6.0, 1e-12);
        var perClass = Metrics.AccuracyPerClass(pred, truth, 4);
        perClass[0].Should().Be(0.5); perClass[1].Should().Be(1); perClass[2].Should().BeApproximately(2 / 3.0, 1e-12);
        double.IsNaN(perClass[3]).Should().BeTrue();
    }
}
