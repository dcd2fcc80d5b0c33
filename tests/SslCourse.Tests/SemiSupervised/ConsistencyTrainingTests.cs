using FluentAssertions;
using SslCourse.Data;
using SslCourse.SemiSupervised;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.SemiSupervised;

public class ConsistencyTrainingTests
{
    public ConsistencyTrainingTests() => Course.Init(seed: 5);

    const int Classes = 3, Batch = 4;

    /// <summary>A linear classifier on flattened 2x2 single-channel images (no BatchNorm, so each row's logits
    /// depend on that row alone and a loss can be recomputed by hand).</summary>
    static nn.Module<Tensor, Tensor> Linear(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(("flat", nn.Flatten()), ("fc", nn.Linear(4, Classes)));
    }

    static (LabeledImages Labelled, Tensor Unlabelled) Data()
    {
        var g = Course.Generator(9);
        var labelled = new LabeledImages(randn(new long[] { 6, 1, 2, 2 }, generator: g), randint(Classes, [6], generator: g), ["a", "b", "c"]);
        return (labelled, 3 * randn(new long[] { 10, 1, 2, 2 }, generator: g));
    }

    static double NaiveCe(float[] logits, int row, long label)
    {
        double max = double.NegativeInfinity, sum = 0;
        for (int c = 0; c < Classes; c++) max = Math.Max(max, logits[row * Classes + c]);
        for (int c = 0; c < Classes; c++) sum += Math.Exp(logits[row * Classes + c] - max);
        return -(logits[row * Classes + (int)label] - max - Math.Log(sum));
    }

    static double[] Softmax(float[] logits, int row)
    {
        var e = Enumerable.Range(0, Classes).Select(c => Math.Exp(logits[row * Classes + c])).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    /// <summary>The first step's draws, replayed: B labelled rows, then B unlabelled rows, from the seed's generator
    /// (the views below ignore the generator, so they draw nothing).</summary>
    static (Tensor X, Tensor Y, Tensor U) FirstBatch(LabeledImages labelled, Tensor unlabelled, long seed, int ratio = 1)
    {
        var (x, y, u, _) = FirstBatchWithPositions(labelled, unlabelled, seed, ratio);
        return (x, y, u);
    }

    /// <summary>The same, with μ = <paramref name="ratio"/>: B labelled rows, then μB unlabelled rows and their positions.</summary>
    static (Tensor X, Tensor Y, Tensor U, long[] UIndex) FirstBatchWithPositions(LabeledImages labelled, Tensor unlabelled, long seed, int ratio)
    {
        var g = Course.Generator(seed);
        var li = randint(labelled.Count, [Batch], generator: g);
        var ui = randint(unlabelled.shape[0], [Batch * ratio], generator: g);
        return (labelled.Images.index_select(0, li), labelled.Labels.index_select(0, li), unlabelled.index_select(0, ui), ui.data<long>().ToArray());
    }

    /// <summary>A model that remembers the row count of every batch it sees.</summary>
    sealed class Recording(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("Recording")
    {
        readonly nn.Module<Tensor, Tensor> inner = inner;
        public List<long> Rows { get; } = [];
        public override Tensor forward(Tensor x) { Rows.Add(x.shape[0]); return inner.call(x); }
    }

    [Fact]
    public void FixMatch_with_ratio_mu_takes_B_labelled_and_mu_B_unlabelled_images_and_logs_mask_rate_and_pseudo_label_accuracy()
    {
        const int mu = 3;
        const double threshold = 0.5;
        var (labelled, unlabelled) = Data();
        var truth = randint(Classes, [unlabelled.shape[0]], generator: Course.Generator(11));
        var reference = Linear(1);
        var (x, y, u, ui) = FirstBatchWithPositions(labelled, unlabelled, seed: 3, mu);
        float[] lx, lw, ls;
        using (no_grad())
        {
            lx = reference.call(x).data<float>().ToArray();
            lw = reference.call(u).data<float>().ToArray();
            ls = reference.call(-u).data<float>().ToArray();
        }
        double sup = 0, unsup = 0, confident = 0, right = 0;
        var ya = y.data<long>().ToArray();
        var ta = truth.data<long>().ToArray();
        for (int i = 0; i < Batch; i++) sup += NaiveCe(lx, i, ya[i]);
        for (int i = 0; i < mu * Batch; i++)
        {
            var p = Softmax(lw, i);
            int best = Array.IndexOf(p, p.Max());
            if (p[best] < threshold) continue;
            unsup += NaiveCe(ls, i, best);
            confident++;
            if (ta[ui[i]] == best) right++;
        }
        confident.Should().BeInRange(1, mu * Batch - 1, "the case must mask some rows and keep others");

        var model = new Recording(Linear(1));
        var history = ConsistencyTraining.FixMatchFit(model, labelled, unlabelled, new ConsistencyOptions
        {
            Steps = 1, BatchSize = Batch, UnlabelledRatio = mu, Weak = (t, _) => t, Strong = (t, _) => -t, Threshold = threshold, Seed = 3,
            UnlabelledTruth = truth,
        });
        model.Rows.Should().Equal(Batch + 2 * mu * Batch);                       // [x; weak u; strong u]
        history.Loss[0].Should().BeApproximately(sup / Batch + unsup / (mu * Batch), 1e-5);
        history.Last("mask rate").Should().BeApproximately(confident / (mu * Batch), 1e-9);
        history.Last("pseudo-label accuracy").Should().BeApproximately(right / confident, 1e-9);

        var badRatio = () => ConsistencyTraining.FixMatchFit(Linear(1), labelled, unlabelled, new ConsistencyOptions { Weak = (t, _) => t, UnlabelledRatio = 0 });
        badRatio.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*UnlabelledRatio*");
        var badTruth = () => ConsistencyTraining.FixMatchFit(Linear(1), labelled, unlabelled, new ConsistencyOptions { Weak = (t, _) => t, UnlabelledTruth = zeros(3, dtype: ScalarType.Int64) });
        badTruth.Should().Throw<ArgumentException>().WithMessage("*UnlabelledTruth must be [10]*[3]*");
    }

    [Fact]
    public void The_recipe_has_the_papers_threshold_and_views_and_the_cpu_ratio()
    {
        var o = FixMatchRecipe.Options(channels: 3, steps: 10, seed: 2);
        (o.Threshold, o.UnlabelledRatio, o.BatchSize, o.Steps, o.Seed).Should().Be((0.95, FixMatchRecipe.CpuRatio, 32, 10, 2L));
        FixMatchRecipe.PaperRatio.Should().Be(7);
        var weak = FixMatchRecipe.Weak();
        (weak.MaxFraction, weak.FlipProbability).Should().Be((0.125, 0.5));
        var images = rand([6, 3, 32, 32], generator: Course.Generator(1));
        foreach (var channels in new[] { 1, 3 })
        {
            var x = images[.., ..channels];
            var strong = FixMatchRecipe.Strong(channels);
            var a = strong(x, Course.Generator(4));
            a.shape.Should().Equal(x.shape);
            a.Equals(strong(x, Course.Generator(4))).Should().BeTrue("the same generator state gives the same views");
            (a.min().item<float>() >= 0 && a.max().item<float>() <= 1).Should().BeTrue();
            // Cutout comes last: each image holds a gray square of at least a quarter of the side squared (16 x 16 clipped by a border).
            for (int i = 0; i < 6; i++)
                a[i, 0].eq(0.5f).sum().item<long>().Should().BeGreaterThanOrEqualTo(8 * 8, $"image {i} of {channels} channel(s)");
        }
        FluentActions.Invoking(() => FixMatchRecipe.Strong(2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*channels*");
    }

    [Fact]
    public void FixMatch_first_loss_is_labelled_ce_plus_masked_ce_of_strong_views_on_weak_pseudo_labels_written_as_loops()
    {
        var (labelled, unlabelled) = Data();
        var model = Linear(1);
        var (x, y, u) = FirstBatch(labelled, unlabelled, seed: 3);
        float[] lx, lw, ls;
        using (no_grad())
        {
            lx = model.call(x).data<float>().ToArray();
            lw = model.call(u).data<float>().ToArray();
            ls = model.call(-u).data<float>().ToArray();
        }
        double threshold = 0.6, sup = 0, unsup = 0;
        var ya = y.data<long>().ToArray();
        for (int i = 0; i < Batch; i++) sup += NaiveCe(lx, i, ya[i]);
        for (int i = 0; i < Batch; i++)
        {
            var p = Softmax(lw, i);
            int best = Array.IndexOf(p, p.Max());
            if (p[best] >= threshold) unsup += NaiveCe(ls, i, best);
        }
        var history = ConsistencyTraining.FixMatchFit(model, labelled, unlabelled, new ConsistencyOptions
        {
            Steps = 1, BatchSize = Batch, Weak = (t, _) => t, Strong = (t, _) => -t, Threshold = threshold, Seed = 3,
        });
        history.Loss[0].Should().BeApproximately(sup / Batch + unsup / Batch, 1e-5);
    }

    [Fact]
    public void MeanTeacher_starts_from_the_students_weights_and_keeps_their_moving_average()
    {
        var (labelled, unlabelled) = Data();
        var student = Linear(1);
        var teacher = Linear(2);                       // other weights: they must be overwritten by the student's
        var start = student.parameters().Select(p => p.detach().clone()).ToList();
        var history = ConsistencyTraining.MeanTeacherFit(student, teacher, labelled, unlabelled, new ConsistencyOptions
        {
            Steps = 1, BatchSize = Batch, Weak = (t, _) => t, TeacherMomentum = 0.25, LearningRate = 0.1, Seed = 3,
        });
        // Same weights and the same (identity) view: the consistency term is 0, so the first loss is the cross-entropy alone.
        var (x, y, _) = FirstBatch(labelled, unlabelled, seed: 3);
        float[] lx;
        using (no_grad()) lx = Linear(1).call(x).data<float>().ToArray();
        var ya = y.data<long>().ToArray();
        history.Loss[0].Should().BeApproximately(Enumerable.Range(0, Batch).Average(i => NaiveCe(lx, i, ya[i])), 1e-5);
        // After one step: teacher = 0.25 * start + 0.75 * student.
        foreach (var ((s, t), s0) in student.parameters().Zip(teacher.parameters()).Zip(start))
        {
            s.Should().NotBeNull();
            (0.25 * s0 + 0.75 * s.detach()).allclose(t.detach(), atol: 1e-6).Should().BeTrue();
            t.requires_grad.Should().BeFalse();
        }
    }

    [Fact]
    public void Runs_are_reproducible_from_the_seed()
    {
        var (labelled, unlabelled) = Data();
        float[] Train()
        {
            var model = Linear(1);
            var g = Course.Generator(4);
            ConsistencyTraining.FixMatchFit(model, labelled, unlabelled, new ConsistencyOptions
            {
                Steps = 5, BatchSize = Batch, Weak = (t, gen) => t + 0.1 * randn(t.shape, generator: gen), Threshold = 0.4, Seed = 8,
            });
            return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }
        Train().Should().Equal(Train());
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var (labelled, _) = Data();
        var options = new ConsistencyOptions { Weak = (t, _) => t };
        var wrongChannels = () => ConsistencyTraining.FixMatchFit(Linear(1), labelled, zeros(5, 3, 2, 2), options);
        wrongChannels.Should().Throw<ArgumentException>().WithMessage("*unlabelled must be [U, 1, H, W]*[5, 3, 2, 2]*");
        var badMomentum = () => ConsistencyTraining.MeanTeacherFit(Linear(1), Linear(2), labelled, zeros(5, 1, 2, 2), options with { TeacherMomentum = 1 });
        badMomentum.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*TeacherMomentum*");
        var noSteps = () => ConsistencyTraining.FixMatchFit(Linear(1), labelled, zeros(5, 1, 2, 2), options with { Steps = 0 });
        noSteps.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Steps*");
    }
}
