using FluentAssertions;
using SslCourse.Data;
using SslCourse.Evaluation;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Evaluation;

public class TransferProbeTests
{
    [Fact]
    public void FewLabels_is_the_mean_and_sample_std_of_probes_on_separate_draws()
    {
        Course.Init();
        var g = Course.Generator(1);
        var labels = arange(200, dtype: ScalarType.Int64) % 4;
        var centres = randn(4, 6, generator: g) * 3;
        var features = centres.index_select(0, labels) + randn(200, 6, generator: g);
        var testLabels = arange(80, dtype: ScalarType.Int64) % 4;
        var testFeatures = centres.index_select(0, testLabels) + randn(80, 6, generator: g);
        var o = new LinearProbeOptions { MaxEpochs = 20 };
        var score = TransferProbe.FewLabels(features, labels, testFeatures, testLabels, 4, perClass: 5, draws: 3, seed: 7, options: o);
        var accs = Enumerable.Range(0, 3).Select(d =>
        {
            var (idx, _) = LabelSplit.Split(labels, 5, Course.Generator(7 + d));
            return LinearProbe.Evaluate(features.index_select(0, idx), labels.index_select(0, idx), testFeatures, testLabels, 4, o with { Seed = 7 + d }).TestAccuracy;
        }).ToArray();
        score.Mean.Should().BeApproximately(accs.Average(), 1e-9);
        double m = accs.Average();
        score.Std.Should().BeApproximately(Math.Sqrt(accs.Sum(a => (a - m) * (a - m)) / 2), 1e-9);
        score.Mean.Should().BeGreaterThan(0.6, "well separated classes");
        score.ToString().Should().Contain("±");
        FluentActions.Invoking(() => TransferProbe.FewLabels(features, labels, testFeatures, testLabels, 4, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("perClass");
    }
}
