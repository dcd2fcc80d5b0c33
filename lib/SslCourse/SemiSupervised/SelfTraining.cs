using SslCourse.Models;
using SslCourse.Data;
using SslCourse.Display;
using SslCourse.Losses;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>How one training phase of self-training runs (<see cref="SelfTraining.Fit"/>).</summary>
public sealed record SelfTrainingOptions
{
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 100;
    /// <summary>Labelled images per step; as many pseudo-labelled images join each step when there are any.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>lambda, the weight of the pseudo-labelled term (Lee, ICML-W 2013, ramps it up; 1 keeps it simple).</summary>
    public double PseudoWeight { get; init; } = 1.0;
    /// <summary>Per-image augmentation of every training batch (<c>[B, C, H, W]</c>, generator) -> same shape; null: none.</summary>
    public Func<Tensor, Generator, Tensor>? Augment { get; init; }
    /// <summary>Seed of the batch draws and augmentations.</summary>
    public long Seed { get; init; }
    /// <summary>Title of the progress display.</summary>
    public string Title { get; init; } = "self-training";
    /// <summary>Show the live progress display.</summary>
    public bool ShowProgress { get; init; } = true;
    /// <summary>Call the monitor every this many steps (0: never).</summary>
    public int MonitorEvery { get; init; }
}

/// <summary>
/// The pieces of the self-training loop (the lecture's "train on X_L, predict pseudo-labels on X_U, add them, repeat";
/// Lee, ICML-W 2013): class probabilities of a model on a pool of images, the combined loss of labelled and weighted
/// pseudo-labelled examples, and one training phase that mixes both in every mini-batch.
/// </summary>
public static class SelfTraining
{
    /// <summary>Class probabilities, in eval mode without gradients, in batches: <c>[N, C, H, W]</c> -> <c>[N, K]</c>.
    /// The model's train/eval mode is restored afterwards.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor images, int batchSize = 250)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.");
        using var mode = ModeScope.Eval(model);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long i = 0; i < images.shape[0]; i += batchSize)
        {
            long end = Math.Min(images.shape[0], i + batchSize);
            parts.Add(nn.functional.softmax(model.call(images.narrow(0, i, end - i)), 1)); // [b, K]
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy (0..1) of the model's arg-max prediction on a labelled set.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, LabeledImages set)
    {
        using var scope = NewDisposeScope();
        return Predict(model, set.Images).argmax(1).eq(set.Labels).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>The self-training objective for one mini-batch:
    /// <c>(1/B) sum_b CE(l_b, y_b) + lambda (1/M) sum_m w_m CE(u_m, yhat_m)</c>.</summary>
    /// <param name="labelledLogits"><c>[B, K]</c></param>
    /// <param name="labels"><c>[B]</c> int64</param>
    /// <param name="pseudoLogits"><c>[M, K]</c> (M may be 0)</param>
    /// <param name="pseudoLabels"><c>[M]</c> int64</param>
    /// <param name="pseudoWeights"><c>[M]</c> non-negative weights (1, or the confidence)</param>
    /// <param name="lambda">Weight of the pseudo-labelled term (>= 0).</param>
    /// <returns>scalar</returns>
    public static Tensor Loss(Tensor labelledLogits, Tensor labels, Tensor pseudoLogits, Tensor pseudoLabels, Tensor pseudoWeights, double lambda = 1.0)
    {
        if (!(lambda >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be >= 0.");
        var loss = CrossEntropy.Hard(labelledLogits, labels);
        if (pseudoLogits.shape[0] == 0) return loss;
        return loss + lambda * CrossEntropy.Weighted(pseudoLogits, pseudoLabels, pseudoWeights);
    }

    /// <summary>One training phase: every step draws <see cref="SelfTrainingOptions.BatchSize"/> labelled images and as
    /// many pseudo-labelled ones (uniformly, with replacement), augments them and minimises <see cref="Loss"/>.</summary>
    /// <param name="model">The classifier, trained in place.</param>
    /// <param name="optimizer">Its optimizer (kept across rounds).</param>
    /// <param name="labelled">The labelled images and labels.</param>
    /// <param name="pool">The unlabelled images <c>[U, C, H, W]</c> that <paramref name="pseudo"/>'s indices point into; null for none.</param>
    /// <param name="pseudo">The chosen pseudo-labels; null or empty trains on the labelled images alone.</param>
    /// <param name="options">Steps, batch, lambda, augmentation, seed.</param>
    /// <param name="monitor">Optional metrics (e.g. test accuracy) every <see cref="SelfTrainingOptions.MonitorEvery"/> steps.</param>
    /// <returns>The run's history.</returns>
    public static TrainHistory Fit(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, LabeledImages labelled,
        Tensor? pool, PseudoLabelSet? pseudo, SelfTrainingOptions options, Func<IReadOnlyDictionary<string, double>>? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "SelfTrainingOptions.BatchSize must be >= 1.");
        if (pseudo is { Count: > 0 } && pool is null) throw new ArgumentException("pool: the pseudo-labels point into a pool of images, which is missing.", nameof(pool));
        var g = Course.Generator(options.Seed);
        int b = options.BatchSize;
        bool usePseudo = pseudo is { Count: > 0 };
        model.train();
        return Trainer.Run(new TrainOptions { Steps = options.Steps, Title = options.Title, ShowProgress = options.ShowProgress, MonitorEvery = options.MonitorEvery },
            optimizer, _ =>
            {
                var li = randint(labelled.Count, [b], generator: g);                                    // [B]
                var x = labelled.Images.index_select(0, li);
                var y = labelled.Labels.index_select(0, li);
                Tensor? pIdx = null;
                if (usePseudo)
                {
                    pIdx = randint(pseudo!.Count, [b], generator: g);                                   // [B] rows of the set
                    x = cat([x, pool!.index_select(0, pseudo.Indices.index_select(0, pIdx))], 0);        // [2B, C, H, W]
                }
                if (options.Augment is { } aug) x = aug(x, g);
                var logits = model.call(x);                                                              // [B or 2B, K]
                if (!usePseudo) return CrossEntropy.Hard(logits, y);
                return Loss(logits[..b], y, logits[b..], pseudo!.Labels.index_select(0, pIdx!), pseudo.Weights.index_select(0, pIdx!), options.PseudoWeight);
            }, monitor);
    }
}
