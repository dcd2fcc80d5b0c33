using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// The batches of the point-cloud tasks (<see cref="PiecePretraining"/>, <see cref="PartSegmentation"/>), run on the course's
/// one loop (<see cref="Trainer"/>):
/// each step draws a batch of shapes and one random subset of their points, augments them, and takes one optimizer step
/// on the loss the caller computes from the augmented points and their per-point labels.
/// </summary>
static class PointBatchTraining
{
    /// <summary>Runs <paramref name="steps"/> steps; returns the loss of every step.</summary>
    /// <param name="optimizer">Steps the parameters the loss depends on.</param>
    /// <param name="points"><c>[L, N, 3]</c> shapes</param>
    /// <param name="labels"><c>[L, N]</c> per-point labels</param>
    /// <param name="steps">Number of optimizer steps.</param>
    /// <param name="batch">Shapes per step.</param>
    /// <param name="samplePoints">Points drawn per shape per step.</param>
    /// <param name="generator">Draws the batches, the point subsets and the augmentations.</param>
    /// <param name="loss">(augmented points <c>[b, k, 3]</c>, their labels <c>[b, k]</c>) -> scalar loss</param>
    /// <param name="onStep">Called after each step with (step, loss).</param>
    public static List<double> Run(optim.Optimizer optimizer, Tensor points, Tensor labels, int steps, int batch, int samplePoints,
        Generator generator, Func<Tensor, Tensor, Tensor> loss, Action<int, double>? onStep)
    {
        long l = points.shape[0], n = points.shape[1];
        int k = (int)Math.Min(samplePoints, n);
        Tensor? value = null;
        var history = Trainer.Run(new TrainOptions { Steps = steps, ShowProgress = false, ThrowOnNonFiniteLoss = false }, optimizer, _ =>
        {
            var idx = randperm(l, generator: generator)[..(int)Math.Min(batch, l)];                      // [b]
            var seen = randperm(n, generator: generator)[..k];                                          // [k]
            var x = PointAugment.Apply(points.index_select(0, idx).index_select(1, seen), generator);    // [b, k, 3]
            return value = loss(x, labels.index_select(0, idx).index_select(1, seen));                  // [b, k] labels
        }, afterStep: step => onStep?.Invoke(step, value!.item<float>()));
        return history.Loss;
    }
}
