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
    static (Tensor X, Tensor Y, Tensor U) FirstBatch(LabeledImages labelled, Tensor unlabelled, long seed)
    {
        var g = Course.Generator(seed);
        var li = randint(labelled.Count, [Batch], generator: g);
        var ui = randint(unlabelled.shape[0], [Batch], generator: g);
        return (labelled.Images.index_select(0, li), labelled.Labels.index_select(0, li), unlabelled.index_select(0, ui));
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
