using SslCourse.Losses;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// The convex-decomposition pretext task: train a point encoder so that points of the same ACD piece get close
/// features and points of different pieces distant ones (<see cref="PointPairLoss"/>), on shapes without part labels.
/// </summary>
public static class PiecePretraining
{
    /// <summary>Trains <paramref name="encoder"/> in place and returns the loss of every step.</summary>
    /// <param name="encoder">The encoder (left in training mode).</param>
    /// <param name="points">Unlabelled clouds [S, N, 3].</param>
    /// <param name="pieces">ACD piece id of every point [S, N] (int64).</param>
    /// <param name="steps">Optimiser steps.</param>
    /// <param name="generator">Seeded generator for batches, augmentation and pair sampling.</param>
    /// <param name="batch">Shapes per step.</param>
    /// <param name="samplePoints">Points per shape the encoder sees in a step (a random subset, the same for the batch).</param>
    /// <param name="pairPoints">Of those, points per shape that enter the pair loss (all pairs among them).</param>
    /// <param name="learningRate">Adam learning rate.</param>
    /// <param name="margin">Margin of the point-pair loss.</param>
    /// <param name="onStep">Called after every step with (step, loss).</param>
    public static List<double> Train(PointNetEncoder encoder, Tensor points, Tensor pieces, int steps, Generator generator,
        int batch = 16, int samplePoints = 256, int pairPoints = 128, double learningRate = 1e-3, double margin = PointPairLoss.DefaultMargin,
        Action<int, double>? onStep = null)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be non-negative, got {steps}.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"batch must be positive, got {batch}.");
        if (pairPoints < 2) throw new ArgumentOutOfRangeException(nameof(pairPoints), pairPoints, $"pairPoints must be at least 2, got {pairPoints}.");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"learningRate must be positive, got {learningRate}.");
        if (samplePoints < 2) throw new ArgumentOutOfRangeException(nameof(samplePoints), samplePoints, $"samplePoints must be at least 2, got {samplePoints}.");
        int m = (int)Math.Min(pairPoints, Math.Min(samplePoints, points.shape[1]));
        var optimizer = optim.Adam(encoder.parameters(), learningRate);
        encoder.train();
        // pairs among the first m of the (random) k points of each shape
        return PointBatchTraining.Run(optimizer, points, pieces, steps, batch, samplePoints, generator,
            (x, labels) => PointPairLoss.Loss(encoder.call(x)[.., ..m], labels[.., ..m], margin), onStep);
    }
}
