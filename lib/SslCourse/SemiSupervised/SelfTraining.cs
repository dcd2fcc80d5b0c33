using SslCourse.Models;
using SslCourse.Data;
using SslCourse.Display;
using SslCourse.Losses;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>How one training phase of self-training runs (<see cref="SelfTraining.Fit(nn.Module{Tensor, Tensor}, optim.Optimizer, LabeledImages, Tensor?, PseudoLabelSet?, SelfTrainingOptions, Func{IReadOnlyDictionary{string, double}}?)"/>):
/// 100 steps; <see cref="TrainingOptions.BatchSize"/> (32) labelled images per step, and as many pseudo-labelled
/// images when there are any; <see cref="TrainingOptions.LearningRate"/> (1e-3) is Adam's when the phase builds the
/// optimizer (the overload without one).</summary>
public sealed record SelfTrainingOptions : TrainingOptions
{
    /// <summary>Self-training's defaults.</summary>
    public SelfTrainingOptions() { Steps = 100; BatchSize = 32; LearningRate = 1e-3; }

    /// <summary>lambda, the weight of the pseudo-labelled term (Lee, ICML-W 2013, ramps it up; 1 keeps it simple).</summary>
    public double PseudoWeight { get; init; } = 1.0;
    /// <summary>Per-image augmentation of every training batch (<c>[B, C, H, W]</c>, generator) -> same shape; null: none.</summary>
    public Func<Tensor, Generator, Tensor>? Augment { get; init; }
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
    /// The model's train/eval mode is restored afterwards; the images go to the model's device in batches and the
    /// probabilities come back beside the images.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor images, int batchSize = 250)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.");
        using var mode = ModeScope.Eval(model);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = ModelUtils.DeviceOf(model);
        var parts = new List<Tensor>();
        for (long i = 0; i < images.shape[0]; i += batchSize)
        {
            long end = Math.Min(images.shape[0], i + batchSize);
            parts.Add(nn.functional.softmax(model.call(images.narrow(0, i, end - i).to(device)), 1).to(images.device)); // [b, K]
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy (0..1) of the model's arg-max prediction on a labelled set.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, LabeledImages set)
    {
        using var scope = NewDisposeScope();
        return Predict(model, set.Images).argmax(1).eq(set.Labels.to(set.Images.device)).to_type(ScalarType.Float64).mean().item<double>();
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

    /// <summary>One phase with a new Adam optimizer at <see cref="TrainingOptions.LearningRate"/> (use the overload that
    /// takes an optimizer to keep its state across rounds).</summary>
    public static TrainHistory Fit(nn.Module<Tensor, Tensor> model, LabeledImages labelled, Tensor? pool, PseudoLabelSet? pseudo,
        SelfTrainingOptions options, Func<IReadOnlyDictionary<string, double>>? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        using var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate);
        return Fit(model, optimizer, labelled, pool, pseudo, options, monitor);
    }

    /// <summary>One training phase: every step draws <see cref="TrainingOptions.BatchSize"/> labelled images and as
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
        options.ValidateCore();
        if (pseudo is { Count: > 0 } && pool is null) throw new ArgumentException("pool: the pseudo-labels point into a pool of images, which is missing.", nameof(pool));
        var g = Course.Generator(options.Seed);
        int b = options.BatchSize;
        bool usePseudo = pseudo is { Count: > 0 };
        var device = ModelUtils.DeviceOf(model);
        static Tensor Rows(Tensor source, Tensor idx) => source.index_select(0, idx.to(source.device));   // indices drawn on the CPU
        model.train();
        return Trainer.Run(options.Loop("self-training", options.Steps) with { MonitorEvery = options.MonitorEvery, StepsPerEpoch = labelled.Count > 0 ? labelled.Count / (double)b : null },
            optimizer, _ =>
            {
                var li = randint(labelled.Count, [b], generator: g);                                    // [B]
                var x = Rows(labelled.Images, li).to(device);                                            // the batch follows the model
                var y = Rows(labelled.Labels, li).to(device);
                Tensor? pIdx = null;
                if (usePseudo)
                {
                    pIdx = randint(pseudo!.Count, [b], generator: g);                                   // [B] rows of the set
                    x = cat([x, Rows(pool!, Rows(pseudo.Indices, pIdx)).to(device)], 0);                 // [2B, C, H, W]
                }
                if (options.Augment is { } aug) x = aug(x, g);
                var logits = model.call(x);                                                              // [B or 2B, K]
                if (!usePseudo) return CrossEntropy.Hard(logits, y);
                return Loss(logits[..b], y, logits[b..], Rows(pseudo!.Labels, pIdx!).to(device), Rows(pseudo.Weights, pIdx!).to(device), options.PseudoWeight);
            }, monitor);
    }
}
