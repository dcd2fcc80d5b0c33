using SslCourse.Losses;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>How the point-cloud tasks train (<see cref="PiecePretraining"/>, <see cref="PartSegmentation"/>): Adam at
/// <see cref="TrainingOptions.LearningRate"/> 1e-3, <see cref="TrainingOptions.BatchSize"/> 16 shapes per step, each
/// seen through a random subset of <see cref="SamplePoints"/> points; <see cref="TrainingOptions.Seed"/> seeds the
/// batches, the subsets, the augmentations and the pairs; no progress display of its own by default (the notebook
/// reports through the step hook).</summary>
public sealed record PointTrainingOptions : TrainingOptions
{
    /// <summary>The point tasks' defaults.</summary>
    public PointTrainingOptions() { Steps = 100; BatchSize = 16; LearningRate = 1e-3; ShowProgress = false; }

    /// <summary>Points per shape the encoder sees in a step (a random subset, the same for the batch).</summary>
    public int SamplePoints { get; init; } = 256;
    /// <summary>Pre-training only: of those, points per shape that enter the pair loss (all pairs among them).</summary>
    public int PairPoints { get; init; } = 128;
    /// <summary>Pre-training only: the margin of the point-pair loss.</summary>
    public double Margin { get; init; } = PointPairLoss.DefaultMargin;

    internal void Validate(int minSamplePoints)
    {
        ValidateCore();
        if (SamplePoints < minSamplePoints) throw new ArgumentOutOfRangeException(nameof(SamplePoints), SamplePoints, $"PointTrainingOptions.SamplePoints must be at least {minSamplePoints}.");
    }
}

/// <summary>
/// The batches of the point-cloud tasks (<see cref="PiecePretraining"/>, <see cref="PartSegmentation"/>), run on the course's
/// one loop (<see cref="Trainer"/>):
/// each step draws a batch of shapes and one random subset of their points, augments them, and takes one optimizer step
/// on the loss the caller computes from the augmented points and their per-point labels.
/// </summary>
static class PointBatchTraining
{
    /// <summary>Runs the options' steps; returns the run's history (the loss of every step in <see cref="TrainHistory.Loss"/>).</summary>
    /// <param name="title">the run's name in a progress display</param>
    /// <param name="optimizer">Steps the parameters the loss depends on.</param>
    /// <param name="points"><c>[L, N, 3]</c> shapes</param>
    /// <param name="labels"><c>[L, N]</c> per-point labels</param>
    /// <param name="o">steps, shapes per step, points per shape, seed</param>
    /// <param name="loss">(augmented points <c>[b, k, 3]</c>, their labels <c>[b, k]</c>) -> scalar loss</param>
    /// <param name="onStep">Called after each step with (step, loss).</param>
    public static TrainHistory Run(string title, optim.Optimizer optimizer, Tensor points, Tensor labels, PointTrainingOptions o,
        Func<Tensor, Tensor, Tensor> loss, Action<int, double>? onStep)
    {
        long l = points.shape[0], n = points.shape[1];
        int k = (int)Math.Min(o.SamplePoints, n);
        var generator = Course.Generator(o.Seed);
        Tensor? value = null;
        return Trainer.Run(o.Loop(title, o.Steps) with { ThrowOnNonFiniteLoss = false }, optimizer, _ =>
        {
            var idx = randperm(l, generator: generator)[..(int)Math.Min(o.BatchSize, l)];               // [b]
            var seen = randperm(n, generator: generator)[..k];                                          // [k]
            var x = PointAugment.Apply(points.index_select(0, idx).index_select(1, seen), generator);    // [b, k, 3]
            return value = loss(x, labels.index_select(0, idx).index_select(1, seen));                  // [b, k] labels
        }, afterStep: step => onStep?.Invoke(step, value!.item<float>()));
    }
}
