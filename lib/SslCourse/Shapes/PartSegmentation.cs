using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>
/// Part segmentation with an encoder and a per-point head: supervised training on a few labelled shapes (the
/// few-shot task, from scratch or from a pre-trained encoder) and prediction restricted to each shape's class.
/// </summary>
public static class PartSegmentation
{
    /// <summary>Trains <paramref name="encoder"/> and <paramref name="head"/> in place with cross-entropy on every seen
    /// point; the history holds the loss of every step.</summary>
    /// <param name="encoder">Point encoder, trained in place (pre-trained or fresh).</param>
    /// <param name="head">Segmentation head, trained in place.</param>
    /// <param name="points">Labelled clouds [L, N, 3].</param>
    /// <param name="parts">Global part id of every point [L, N] (int64).</param>
    /// <param name="options">steps, shapes per step (at most L), points per shape, learning rate and seed</param>
    /// <param name="onStep">Called after every step with (step, loss).</param>
    public static TrainHistory Train(PointNetEncoder encoder, PointSegmentationHead head, Tensor points, Tensor parts, PointTrainingOptions options,
        Action<int, double>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(minSamplePoints: 1);
        var optimizer = optim.Adam(encoder.parameters().Concat(head.parameters()), options.LearningRate);
        encoder.train(); head.train();
        return PointBatchTraining.Run("part segmentation", optimizer, points, parts, options, (x, target) =>
        {
            var logits = head.call(encoder.call(x));                                                    // [b, k, C]
            return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), target.reshape(-1)); // [b*k, C] vs [b*k]
        }, onStep);
    }

    /// <summary>Predicted global part of every point of every shape, choosing only among the parts of the shape's class.</summary>
    public static int[][] Predict(PointNetEncoder encoder, PointSegmentationHead head, IReadOnlyList<PartShape> shapes, int batch = 64)
    {
        encoder.eval(); head.eval();
        var result = new int[shapes.Count][];
        using var noGrad = no_grad();
        for (int start = 0; start < shapes.Count; start += batch)
        {
            using var scope = NewDisposeScope();
            var chunk = shapes.Skip(start).Take(batch).ToList();
            var (pts, _, classes) = PartShape.Stack(chunk);
            var logits = head.call(encoder.call(pts));                                                  // [b, N, C]
            var allowed = tensor(PartMask(head.Classes)).index_select(0, classes).unsqueeze(1);          // [K, C] -> [b, 1, C]
            var best = logits.masked_fill(allowed.logical_not(), float.NegativeInfinity).argmax(2);      // [b, N]
            var flat = best.to_type(ScalarType.Int32).data<int>().ToArray();
            int n = (int)best.shape[1];
            for (int b = 0; b < chunk.Count; b++) result[start + b] = flat.AsSpan(b * n, n).ToArray();
        }
        return result;
    }

    // [ClassCount, C] true where part c belongs to the class.
    static bool[,] PartMask(int classes)
    {
        var mask = new bool[PartCatalog.ClassCount, classes];
        for (int p = 0; p < Math.Min(classes, PartCatalog.PartCount); p++) mask[PartCatalog.ClassOfPart[p], p] = true;
        return mask;
    }
}
