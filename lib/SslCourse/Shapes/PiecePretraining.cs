using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// The convex-decomposition pretext task: train a point encoder so that points of the same ACD piece get close
/// features and points of different pieces distant ones (<see cref="PointPairLoss"/>), on shapes without part labels.
/// </summary>
public static class PiecePretraining
{
    /// <summary>Trains <paramref name="encoder"/> in place; the history holds the loss of every step.</summary>
    /// <param name="encoder">The encoder (left in training mode).</param>
    /// <param name="points">Unlabelled clouds [S, N, 3].</param>
    /// <param name="pieces">ACD piece id of every point [S, N] (int64).</param>
    /// <param name="options">steps, shapes per step, points per shape, pair points, margin, learning rate and seed</param>
    /// <param name="onStep">Called after every step with (step, loss).</param>
    public static TrainHistory Train(PointNetEncoder encoder, Tensor points, Tensor pieces, PointTrainingOptions options, Action<int, double>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(minSamplePoints: 2);
        if (options.PairPoints < 2) throw new ArgumentOutOfRangeException(nameof(options), options.PairPoints, "PointTrainingOptions.PairPoints must be at least 2.");
        int m = (int)Math.Min(options.PairPoints, Math.Min(options.SamplePoints, points.shape[1]));
        var optimizer = optim.Adam(encoder.parameters(), options.LearningRate);
        encoder.train();
        // pairs among the first m of the (random) k points of each shape
        return PointBatchTraining.Run("pre-training on convex pieces", optimizer, points, pieces, options,
            (x, labels) => PointPairLoss.Loss(encoder.call(x)[.., ..m], labels[.., ..m], options.Margin), onStep);
    }
}
