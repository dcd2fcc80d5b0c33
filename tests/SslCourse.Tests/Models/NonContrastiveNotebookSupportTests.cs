using FluentAssertions;
using SslCourse.Data;
using SslCourse.Evaluation;
using SslCourse.Models;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public class NonContrastiveNotebookSupportTests
{
    static double NaiveNormalisedStd(float[,] z)
    {
        int n = z.GetLength(0), d = z.GetLength(1);
        var u = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            double norm = 0; for (int j = 0; j < d; j++) norm += z[i, j] * (double)z[i, j];
            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            for (int j = 0; j < d; j++) u[i, j] = z[i, j] / norm;
        }
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = 0; for (int i = 0; i < n; i++) mean += u[i, j]; mean /= n;
            double v = 0; for (int i = 0; i < n; i++) v += (u[i, j] - mean) * (u[i, j] - mean);
            total += Math.Sqrt(v / (n - 1));
        }
        return total / d;
    }

    [Fact]
    public void Normalised_std_matches_a_loop_is_zero_for_collapse_and_one_over_root_d_when_spread()
    {
        Course.Init(0);
        var g = Course.Generator(1);
        using var small = randn(new long[] { 6, 5 }, generator: g);
        var arr = new float[6, 5];
        var flat = small.data<float>().ToArray();
        for (int i = 0; i < 6; i++) for (int j = 0; j < 5; j++) arr[i, j] = flat[i * 5 + j];
        CollapseMetrics.NormalisedStd(small).Should().BeApproximately(NaiveNormalisedStd(arr), 1e-5);

        using var collapsed = randn(new long[] { 1, 64 }, generator: g).expand(50, 64) * tensor(Enumerable.Range(1, 50).Select(i => (float)i).ToArray()).unsqueeze(1);
        CollapseMetrics.NormalisedStd(collapsed).Should().BeApproximately(0, 1e-5, "scaled copies of one vector normalise to one point");
        CollapseMetrics.IsCollapsed(collapsed).Should().BeTrue();
        CollapseMetrics.MeanPairwiseCosine(collapsed).Should().BeApproximately(1, 1e-4);

        using var spread = randn(new long[] { 4000, 64 }, generator: g);
        CollapseMetrics.NormalisedStd(spread).Should().BeApproximately(CollapseMetrics.SpreadLevel(64), 0.05 / 8);
        CollapseMetrics.IsCollapsed(spread).Should().BeFalse();
        CollapseMetrics.MeanPairwiseCosine(spread).Should().BeApproximately(0, 0.01);
        FluentActions.Invoking(() => CollapseMetrics.NormalisedStd(randn(1, 4))).Should().Throw<ArgumentException>().WithMessage("*N = 1*");
        FluentActions.Invoking(() => CollapseMetrics.IsCollapsed(spread, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*fraction*");
    }

    [Fact]
    public void SimSiam_ablation_switches_change_the_loss_and_the_gradients_as_the_paper_says()
    {
        Course.Init(0);
        using var x1 = rand(6, 3, 16, 16, generator: Course.Generator(2));
        using var x2 = rand(6, 3, 16, 16, generator: Course.Generator(3));

        // without the predictor, the loss is -cos(z1, z2) averaged
        Course.Reseed(7);
        var noPred = new SimSiam(new ConvNet(3, 0.25), 64, projectionDim: 16, predictorHidden: 4, usePredictor: false);
        noPred.eval();
        using (no_grad())
        {
            var z1 = noPred.Project(x1); var z2 = noPred.Project(x2);
            var expected = -nn.functional.cosine_similarity(z1, z2, dim: 1).mean().item<float>();
            noPred.Loss(x1, x2).item<float>().Should().BeApproximately(expected, 1e-5f);
        }
        noPred.TrainableParameters().Count().Should().BeLessThan(noPred.parameters().Count(), "the unused predictor is not trained");

        // with the predictor and stop-gradient the value equals the same model without stop-gradient, but the gradients differ
        Course.Reseed(8);
        var a = new SimSiam(new ConvNet(3, 0.25), 64, projectionDim: 16, predictorHidden: 4, stopGradient: true);
        Course.Reseed(8);
        var b = new SimSiam(new ConvNet(3, 0.25), 64, projectionDim: 16, predictorHidden: 4, stopGradient: false);
        a.eval(); b.eval();
        var la = a.Loss(x1, x2); var lb = b.Loss(x1, x2);
        la.item<float>().Should().BeApproximately(lb.item<float>(), 1e-5f);
        la.item<float>().Should().BeInRange(-1f, 1f);
        la.backward(); lb.backward();
        var ga = a.Encoder.parameters().First().grad!; var gb = b.Encoder.parameters().First().grad!;
        ga.allclose(gb, 1e-4, 1e-6).Should().BeFalse("the target branch adds gradient without stop-gradient");
    }

    [Fact]
    public void Monitors_measure_knn_and_std_and_restore_training_mode()
    {
        Course.Init(0);
        // images whose mean colour is the label: a flattening "encoder" separates them perfectly
        var labels = arange(40, dtype: ScalarType.Int64) % 2;
        var images = (labels.to(ScalarType.Float32).view(-1, 1, 1, 1) * 0.8f + 0.1f).expand(40, 3, 4, 4).contiguous()
                     + 0.01 * rand(40, 3, 4, 4, generator: Course.Generator(1));
        var encoder = nn.Sequential(("pool", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten()), ("lin", nn.Linear(3, 3)));
        using (no_grad()) { ((TorchSharp.Modules.Linear)encoder.named_children().Last().module).weight!.copy_(eye(3)); ((TorchSharp.Modules.Linear)encoder.named_children().Last().module).bias!.copy_(tensor(new float[] { -0.5f, -0.5f, -0.5f })); }
        var set = new LabeledImages(images, labels, ["dark", "light"]);
        encoder.train();
        var monitor = Monitors.Combine(Monitors.Knn(encoder, set, set, k: 5), Monitors.Collapse(encoder, x => encoder.call(x), images));
        var m = monitor();
        m["knn"].Should().Be(1.0);
        m["std"].Should().BeGreaterThan(0.3);
        encoder.training.Should().BeTrue();
    }
}
