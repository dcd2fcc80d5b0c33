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
        long s = points.shape[0], n = points.shape[1];
        int k = (int)Math.Min(samplePoints, n), m = Math.Min(pairPoints, k);
        var optimizer = optim.Adam(encoder.parameters(), learningRate);
        encoder.train();
        var losses = new List<double>(steps);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var idx = randperm(s, generator: generator)[..(int)Math.Min(batch, s)];                  // [b]
            var seen = randperm(n, generator: generator)[..k];                                        // [k]
            var x = PointAugment.Apply(points.index_select(0, idx).index_select(1, seen), generator);  // [b, k, 3]
            var features = encoder.call(x);                                                           // [b, k, F]
            var labels = pieces.index_select(0, idx).index_select(1, seen);                           // [b, k]
            var loss = PointPairLoss.Loss(features[.., ..m], labels[.., ..m], margin);               // pairs among the first m of the (random) k
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            double value = loss.item<float>();
            losses.Add(value);
            onStep?.Invoke(step, value);
        }
        return losses;
    }
}
