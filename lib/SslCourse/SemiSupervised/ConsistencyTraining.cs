using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>How a consistency-based semi-supervised phase runs (<see cref="ConsistencyTraining"/>): 150 steps;
/// <see cref="TrainingOptions.BatchSize"/> (32) labelled images per step and as many unlabelled ones; Adam at a constant
/// <see cref="TrainingOptions.LearningRate"/> (1e-3, as in notebook 03); no progress display by default.</summary>
public sealed record ConsistencyOptions : TrainingOptions
{
    /// <summary>The defaults of notebook 03's runs.</summary>
    public ConsistencyOptions() { Steps = 150; BatchSize = 32; LearningRate = 1e-3; ShowProgress = false; }

    /// <summary>μ: unlabelled images per labelled image in a step (FixMatch's paper: 7; <see cref="FixMatchRecipe"/>
    /// uses 3 on a 2-core CPU; 1 draws as many of each).</summary>
    public int UnlabelledRatio { get; init; } = 1;
    /// <summary>The hidden labels of the unlabelled images (<c>[U]</c> int64), for diagnostics only: FixMatch's history
    /// then records the accuracy of its confident pseudo-labels. Training never reads them.</summary>
    public Tensor? UnlabelledTruth { get; init; }
    /// <summary>The weak augmentation (<c>[B, C, H, W]</c>, generator) -> same shape: labelled images, FixMatch's
    /// pseudo-labelling view and both of Mean Teacher's views.</summary>
    public required Func<Tensor, Generator, Tensor> Weak { get; init; }
    /// <summary>FixMatch's strong augmentation of the unlabelled images (null: the weak one, which makes FixMatch plain
    /// confident pseudo-labelling).</summary>
    public Func<Tensor, Generator, Tensor>? Strong { get; init; }
    /// <summary>FixMatch's confidence threshold tau (Sohn et al. 2020: 0.95).</summary>
    public double Threshold { get; init; } = FixMatch.DefaultThreshold;
    /// <summary>Mean Teacher's EMA momentum alpha. The paper's 0.99-0.999 averages over thousands of steps; runs of a
    /// few hundred steps need a shorter memory (0.95 averages over about the last 20 steps).</summary>
    public double TeacherMomentum { get; init; } = 0.95;
    /// <summary>Weight of Mean Teacher's consistency cost (squared difference of softmax outputs, which is small).</summary>
    public double ConsistencyWeight { get; init; } = 10;
}

/// <summary>
/// Two methods that fold unlabelled data into every mini-batch (the lecture's semi-supervised part, notebook 03 writes
/// them out step by step): FixMatch (Sohn et al., NeurIPS 2020), a hard pseudo-label from a weak view where it is
/// confident, learned on a strong view; and Mean Teacher (Tarvainen and Valpola, NeurIPS 2017), agreement with an
/// exponential moving average of the student's own weights. Each step draws <c>B</c> labelled and <c>μB</c>
/// unlabelled images (<see cref="ConsistencyOptions.UnlabelledRatio"/>); the labelled term is the cross-entropy on a weak view.
/// </summary>
public static class ConsistencyTraining
{
    /// <summary>Trains <paramref name="model"/> in place with FixMatch's loss: <c>CE(labelled) + FixMatch.Loss(weak u, strong u)</c>.</summary>
    /// <param name="model">a classifier <c>[N, C, H, W]</c> -> <c>[N, K]</c></param>
    /// <param name="labelled">the labelled images and labels</param>
    /// <param name="unlabelled"><c>[U, C, H, W]</c></param>
    /// <param name="options">steps, batch, views, threshold, seed</param>
    /// <returns>the history, with (every tenth of the run) "mask rate", the share of unlabelled images above the
    /// threshold, averaged over the steps since the last record, and, given <see cref="ConsistencyOptions.UnlabelledTruth"/>,
    /// "pseudo-label accuracy", the share of those confident pseudo-labels that are right (NaN while none is confident)</returns>
    public static TrainHistory FixMatchFit(nn.Module<Tensor, Tensor> model, LabeledImages labelled, Tensor unlabelled, ConsistencyOptions options)
    {
        Validate(labelled, unlabelled, options);
        var strong = options.Strong ?? options.Weak;
        var draw = Batches(labelled, unlabelled, options, model);
        var g = draw.Generator;
        int b = options.BatchSize, bu = options.BatchSize * options.UnlabelledRatio;
        double masked = 0, right = 0, seen = 0;
        model.train();
        return Trainer.Run(options.Loop("FixMatch", options.Steps) with { MonitorEvery = Math.Max(1, options.Steps / 10), StepsPerEpoch = labelled.Count > 0 ? labelled.Count / (double)b : null },
            optim.Adam(model.parameters(), lr: options.LearningRate), _ =>
            {
                var (x, y, u, ui) = draw.Next();
                var logits = model.call(cat([options.Weak(cat([x, u], 0), g), strong(u, g)], 0));   // [B + 2μB, K]
                var weakU = logits[b..(b + bu)];                                                    // [μB, K]
                var strongU = logits[(b + bu)..];                                                   // [μB, K]
                using (no_grad())
                {
                    var (pseudo, mask) = FixMatch.PseudoLabels(weakU, options.Threshold);
                    masked += mask.sum().item<float>();
                    seen += bu;
                    if (options.UnlabelledTruth is { } truth)
                        right += (mask * pseudo.eq(truth.index_select(0, ui)).to_type(mask.dtype)).sum().item<float>();
                }
                return CrossEntropy.Hard(logits[..b], y) + FixMatch.Loss(weakU, strongU, options.Threshold);
            },
            monitor: () =>
            {
                var record = new Dictionary<string, double> { ["mask rate"] = masked / seen };
                if (options.UnlabelledTruth is not null) record["pseudo-label accuracy"] = masked > 0 ? right / masked : double.NaN;
                (masked, right, seen) = (0, 0, 0);
                return record;
            });
    }

    /// <summary>Trains <paramref name="student"/> in place with Mean Teacher: <c>CE(labelled) + w * Consistency(student(view 1 of u),
    /// teacher(view 2 of u))</c>, the teacher's weights following the student's by EMA after every step.</summary>
    /// <param name="student">a classifier, trained</param>
    /// <param name="teacher">a classifier of the same architecture; its weights are first copied from the student, then
    /// only averaged (frozen for the optimizer). Usually the better of the two to keep.</param>
    /// <param name="labelled">the labelled images and labels</param>
    /// <param name="unlabelled"><c>[U, C, H, W]</c></param>
    /// <param name="options">steps, batch, views, momentum, weight, seed</param>
    /// <returns>the history</returns>
    public static TrainHistory MeanTeacherFit(nn.Module<Tensor, Tensor> student, nn.Module<Tensor, Tensor> teacher, LabeledImages labelled,
        Tensor unlabelled, ConsistencyOptions options)
    {
        Validate(labelled, unlabelled, options);
        if (!(options.TeacherMomentum >= 0 && options.TeacherMomentum < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.TeacherMomentum, "ConsistencyOptions.TeacherMomentum must be in [0, 1).");
        ModelUtils.CopyWeights(student, teacher);
        ModelUtils.Freeze(teacher, eval: false);
        var draw = Batches(labelled, unlabelled, options, student);
        var g = draw.Generator;
        int b = options.BatchSize;
        student.train(); teacher.train();
        var history = Trainer.Run(options.Loop("Mean Teacher", options.Steps) with { StepsPerEpoch = labelled.Count > 0 ? labelled.Count / (double)b : null },
            optim.Adam(student.parameters(), lr: options.LearningRate), _ =>
            {
                var (x, y, u, _) = draw.Next();
                var logits = student.call(options.Weak(cat([x, u], 0), g));                      // [B + μB, K]
                Tensor teacherLogits;
                using (no_grad()) teacherLogits = teacher.call(options.Weak(u, g));              // [μB, K], another view
                return CrossEntropy.Hard(logits[..b], y) + options.ConsistencyWeight * Consistency.Loss(logits[b..], teacherLogits);
            },
            afterStep: _ => ModelUtils.UpdateMomentum(student, teacher, options.TeacherMomentum));
        teacher.eval();
        return history;
    }

    /// <summary>Seeded draws of B labelled (with labels) and μB unlabelled images (with their positions) per step, on the
    /// model's device.</summary>
    sealed class MixedBatches(LabeledImages labelled, Tensor unlabelled, int batch, int unlabelledBatch, Generator generator, Device device)
    {
        public Generator Generator { get; } = generator;

        public (Tensor X, Tensor Y, Tensor U, Tensor UIndex) Next()
        {
            var li = randint(labelled.Count, [batch], generator: Generator);                   // [B], drawn on the CPU
            var ui = randint(unlabelled.shape[0], [unlabelledBatch], generator: Generator);    // [μB]
            return (Rows(labelled.Images, li), Rows(labelled.Labels, li), Rows(unlabelled, ui), ui);
        }

        Tensor Rows(Tensor source, Tensor idx) => source.index_select(0, idx.to(source.device)).to(device);   // follows the model
    }

    static MixedBatches Batches(LabeledImages labelled, Tensor unlabelled, ConsistencyOptions o, nn.Module model) =>
        new(labelled, unlabelled, o.BatchSize, o.BatchSize * o.UnlabelledRatio, Course.Generator(o.Seed), ModelUtils.DeviceOf(model));

    static void Validate(LabeledImages labelled, Tensor unlabelled, ConsistencyOptions o)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(unlabelled);
        ArgumentNullException.ThrowIfNull(o);
        o.ValidateCore(minSteps: 1);
        if (o.UnlabelledRatio < 1) throw new ArgumentOutOfRangeException(nameof(o), o.UnlabelledRatio, "ConsistencyOptions.UnlabelledRatio (μ) must be >= 1.");
        if (o.UnlabelledTruth is { } t && (t.dim() != 1 || t.shape[0] != unlabelled.shape[0]))
            throw new ArgumentException($"ConsistencyOptions.UnlabelledTruth must be [{unlabelled.shape[0]}] like the unlabelled images; got [{string.Join(", ", t.shape)}].", nameof(o));
        if (unlabelled.dim() != 4 || unlabelled.shape[1] != labelled.Images.shape[1])
            throw new ArgumentException($"unlabelled must be [U, {labelled.Images.shape[1]}, H, W] like the labelled images; got [{string.Join(", ", unlabelled.shape)}].", nameof(unlabelled));
        if (unlabelled.shape[0] == 0) throw new ArgumentException("unlabelled is empty.", nameof(unlabelled));
    }
}
