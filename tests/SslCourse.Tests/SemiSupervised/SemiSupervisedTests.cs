using FluentAssertions;
using SslCourse.Labels;
using SslCourse.SemiSupervised;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.SemiSupervised;

public class KnnGraphAndPropagationTests
{
    public KnnGraphAndPropagationTests() => Course.Init(seed: 3);

    [Fact]
    public void Affinity_matches_a_naive_loop()
    {
        var g = Course.Generator(5);
        var x = randn(new long[] { 12, 2 }, generator: g, dtype: ScalarType.Float64);
        int k = 3;
        double sigma = 0.7;
        var w = KnnGraph.Affinity(x, k, sigma);

        var p = x.data<double>().ToArray();
        double D2(int i, int j) => Math.Pow(p[2 * i] - p[2 * j], 2) + Math.Pow(p[2 * i + 1] - p[2 * j + 1], 2);
        var knn = Enumerable.Range(0, 12).Select(i => Enumerable.Range(0, 12).Where(j => j != i).OrderBy(j => D2(i, j)).Take(k).ToHashSet()).ToArray();
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++)
            {
                double expected = i != j && (knn[i].Contains(j) || knn[j].Contains(i)) ? Math.Exp(-D2(i, j) / (2 * sigma * sigma)) : 0;
                w[i, j].item<double>().Should().BeApproximately(expected, 1e-12, $"W[{i},{j}]");
            }
    }

    [Fact]
    public void One_step_matches_the_formula_written_as_loops()
    {
        var g = Course.Generator(6);
        var s = rand(new long[] { 5, 5 }, generator: g);
        var f = rand(new long[] { 5, 3 }, generator: g);
        var y = rand(new long[] { 5, 3 }, generator: g);
        var step = LabelPropagation.Step(s, f, y, 0.9);
        for (int i = 0; i < 5; i++)
            for (int c = 0; c < 3; c++)
            {
                double sum = 0;
                for (int j = 0; j < 5; j++) sum += s[i, j].item<float>() * f[j, c].item<float>();
                step[i, c].item<float>().Should().BeApproximately((float)(0.9 * sum + 0.1 * y[i, c].item<float>()), 1e-5f);
            }
    }

    [Fact]
    public void Iterating_converges_to_the_closed_form()
    {
        var g = Course.Generator(7);
        var x = randn(new long[] { 30, 2 }, generator: g);
        var labels = full(30, -1L, dtype: ScalarType.Int64);
        labels[0] = 0; labels[1] = 1;
        var s = KnnGraph.Normalise(KnnGraph.Affinity(x, 5));
        var y = LabelPropagation.Seeds(labels, 2);
        var f = y.clone();
        for (int t = 0; t < 400; t++) f = LabelPropagation.Step(s, f, y, 0.9);
        f.allclose(LabelPropagation.ClosedForm(s, y, 0.9), rtol: 1e-4, atol: 1e-6).Should().BeTrue();
    }

    [Fact]
    public void Two_far_apart_clusters_with_one_label_each_are_labelled_perfectly()
    {
        var g = Course.Generator(8);
        var a = randn(new long[] { 40, 2 }, generator: g) * 0.3;
        var b = randn(new long[] { 40, 2 }, generator: g) * 0.3 + 5;
        var x = cat([a, b]);
        var labels = full(80, -1L, dtype: ScalarType.Int64);
        labels[0] = 0; labels[40] = 1;
        var (pred, _) = LabelPropagation.Run(x, labels, classes: 2, k: 5, steps: 100);
        pred[..40].eq(0).all().item<bool>().Should().BeTrue();
        pred[40..].eq(1).all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var x = randn(4, 2);
        ((Action)(() => KnnGraph.Affinity(x, 4))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*k must be in [1, 3]*");
        ((Action)(() => LabelPropagation.Step(eye(2), ones(2, 2), ones(2, 2), 1.5))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*alpha*");
    }
}

public class LabelNoiseTests
{
    public LabelNoiseTests() => Course.Init(seed: 4);

    [Fact]
    public void Symmetric_noise_flips_the_requested_share_uniformly()
    {
        var t = LabelNoise.SymmetricTransition(10, 0.2);
        t.sum(1).allclose(ones(10, dtype: ScalarType.Float64)).Should().BeTrue();
        var clean = arange(10, dtype: ScalarType.Int64).repeat(4000);
        var noisy = LabelNoise.Apply(clean, t, Course.Generator(1));
        LabelNoise.Rate(noisy, clean).Should().BeApproximately(0.2, 0.01);
        var wrong = noisy.masked_select(noisy.ne(clean));
        var counts = bincount(wrong, minlength: 10).to_type(ScalarType.Float64);
        (counts / counts.sum()).max().item<double>().Should().BeLessThan(0.13, "wrong labels spread over all classes");
        LabelNoise.Apply(clean, t, Course.Generator(1)).eq(noisy).all().item<bool>().Should().BeTrue("the same seed gives the same noise");
    }

    [Fact]
    public void Group_noise_only_confuses_classes_within_a_group()
    {
        var t = LabelNoise.GroupTransition(10, 0.4, [0, 2, 6]);
        var clean = arange(10, dtype: ScalarType.Int64).repeat(2000);
        var noisy = LabelNoise.Apply(clean, t, Course.Generator(2));
        var changed = noisy.ne(clean);
        var fromClass = clean.masked_select(changed).unique().Item1.data<long>().ToArray();
        fromClass.Should().BeSubsetOf(new long[] { 0, 2, 6 });
        noisy.masked_select(changed).unique().Item1.data<long>().ToArray().Should().BeSubsetOf(new long[] { 0, 2, 6 });
        LabelNoise.Rate(noisy[clean.eq(2)], clean[clean.eq(2)]).Should().BeApproximately(0.4, 0.04);
    }

    [Fact]
    public void A_transition_matrix_whose_rows_do_not_sum_to_one_is_refused()
    {
        var bad = ones(3, 3, dtype: ScalarType.Float64);
        ((Action)(() => LabelNoise.Apply(zeros(3, dtype: ScalarType.Int64), bad, Course.Generator(0))))
            .Should().Throw<ArgumentException>().WithMessage("*sum to 1*");
    }
}

public class LearningCurveAndCostTests
{
    [Fact]
    public void The_fit_recovers_a_known_power_law()
    {
        var truth = new LearningCurve(2.0, 0.5, 0.05);
        double[] n = [10, 30, 100, 300, 1000, 3000];
        var fit = LearningCurve.Fit(n, n.Select(truth.Accuracy).ToArray());
        foreach (var m in n.Append(10000)) fit.Accuracy(m).Should().BeApproximately(truth.Accuracy(m), 0.005);
        fit.B.Should().BeApproximately(0.5, 0.05);
    }

    [Fact]
    public void Labels_for_an_accuracy_inverts_the_curve()
    {
        var curve = new LearningCurve(2.0, 0.5, 0.05);
        curve.Accuracy(curve.LabelsFor(0.9)).Should().BeApproximately(0.9, 1e-9);
        curve.LabelsFor(0.96).Should().Be(double.PositiveInfinity, "accuracy above 1 - c is never reached");
    }

    [Fact]
    public void Annotation_hours_follow_the_price_list()
    {
        var cost = new AnnotationCost(SecondsPerClassLabel: 3, MinutesPerDenseLabel: 90);
        cost.ClassLabelHours(12_000).Should().BeApproximately(10, 1e-9);
        cost.DenseLabelHours(100).Should().BeApproximately(150, 1e-9);
        (cost with { LabelsPerItem = 3 }).ClassLabelHours(1200).Should().BeApproximately(3, 1e-9);
        cost.Cost(10).Should().Be(200);
    }
}

public class PseudoLabelTests
{
    public PseudoLabelTests() => Course.Init(seed: 5);

    static Tensor Probs() => tensor(new float[,]
    {
        { 0.90f, 0.05f, 0.05f },
        { 0.40f, 0.35f, 0.25f },
        { 0.10f, 0.80f, 0.10f },
        { 0.20f, 0.70f, 0.10f },
        { 0.05f, 0.15f, 0.80f },
        { 0.97f, 0.02f, 0.01f },
    });

    [Fact]
    public void Confident_keeps_the_rows_above_the_threshold()
    {
        var set = PseudoLabels.Confident(Probs(), 0.8);
        set.Indices.data<long>().ToArray().Should().Equal(0, 2, 4, 5);
        set.Labels.data<long>().ToArray().Should().Equal(0, 1, 2, 0);
    }

    [Fact]
    public void Top_per_class_balances_the_classes()
    {
        var set = PseudoLabels.TopPerClass(Probs(), perClass: 1);
        set.Indices.data<long>().ToArray().Should().Equal([2L, 4L, 5L], "the most confident of each class: 5 for class 0, 2 for 1, 4 for 2");
        PseudoLabels.TopPerClass(Probs(), perClass: 2).Count.Should().Be(5, "class 2 has only one candidate");
    }

    [Fact]
    public void Confidence_weighting_keeps_everything_with_weights()
    {
        var set = PseudoLabels.ConfidenceWeighted(Probs(), power: 2);
        set.Count.Should().Be(6);
        set.Weights[1].item<float>().Should().BeApproximately(0.16f, 1e-6f);
    }

    [Fact]
    public void The_error_rate_counts_wrong_pseudo_labels()
    {
        var truth = tensor(new long[] { 0, 1, 1, 0, 2, 0 });
        PseudoLabels.ErrorRate(PseudoLabels.All(Probs()), truth).Should().BeApproximately(2.0 / 6, 1e-9);
    }

    [Fact]
    public void The_distillation_ensemble_is_the_mean_over_transforms()
    {
        var g = Course.Generator(9);
        var images = rand(new long[] { 4, 1, 6, 6 }, generator: g);
        var weights = randn(new long[] { 36, 3 }, generator: g);
        Tensor Model(Tensor x) => softmax(x.flatten(1).matmul(weights), 1);
        var transforms = DataDistillation.FlipsAndShifts(1);
        var ensemble = DataDistillation.Ensemble(Model, images, transforms);
        var naive = transforms.Select(t => Model(t(images))).Aggregate((a, b) => a + b) / transforms.Count;
        ensemble.allclose(naive, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        // transform 4 moves the content one pixel to the left, replicating the right edge column
        var shifted = transforms[4](images);
        shifted[.., .., .., ..^1].allclose(images[.., .., .., 1..]).Should().BeTrue();
        shifted[.., .., .., ^1].allclose(images[.., .., .., ^1]).Should().BeTrue();
    }
}
