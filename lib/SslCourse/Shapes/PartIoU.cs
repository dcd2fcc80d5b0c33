using static TorchSharp.torch;

namespace SslCourse.Shapes;

/// <summary>Part-segmentation scores of a set of shapes (ShapeNet-Part conventions, Yi et al. SIGGRAPH Asia 2016).</summary>
/// <param name="PartIoU">Mean IoU of each global part over the shapes of its class, [PartCount] (NaN for a class with no shapes).</param>
/// <param name="ClassMeanIoU">Mean over a class's shapes of the shape's mean part IoU, [ClassCount] (NaN when absent).</param>
/// <param name="InstanceMeanIoU">Mean over all shapes of the shape's mean part IoU (the usual "instance mIoU").</param>
public sealed record SegmentationScores(double[] PartIoU, double[] ClassMeanIoU, double InstanceMeanIoU);

/// <summary>
/// Intersection over union of predicted and true part labels of the points of one shape, per part of its class:
/// IoU_p = |pred = p and true = p| / |pred = p or true = p|, taken as 1 when part p is in neither (a chair
/// without arms, predicted without arms, is right about arms).
/// </summary>
public static class PartIoU
{
    /// <summary>IoU of each part in <paramref name="parts"/>: predicted [N], truth [N] (int64) -> [P] float32.</summary>
    public static Tensor PerPart(Tensor predicted, Tensor truth, IReadOnlyList<int> parts)
    {
        if (!predicted.shape.SequenceEqual(truth.shape) || predicted.dim() != 1)
            throw new ArgumentException($"predicted [{string.Join(", ", predicted.shape)}] and truth [{string.Join(", ", truth.shape)}] must both be [N].", nameof(predicted));
        using var scope = NewDisposeScope();
        var ids = tensor(parts.Select(p => (long)p).ToArray()).unsqueeze(1);   // [P, 1]
        var isPred = predicted.unsqueeze(0).eq(ids);                           // [P, N]
        var isTrue = truth.unsqueeze(0).eq(ids);                               // [P, N]
        var inter = isPred.logical_and(isTrue).sum(1).to_type(ScalarType.Float32);
        var union = isPred.logical_or(isTrue).sum(1).to_type(ScalarType.Float32);
        return where(union.gt(0), inter / union.clamp_min(1), ones_like(union)).MoveToOuterDisposeScope();
    }

    /// <summary>IoU of each part in <paramref name="parts"/> for one shape's labels, [P].</summary>
    public static double[] OfShape(IReadOnlyList<int> predicted, IReadOnlyList<int> truth, IReadOnlyList<int> parts)
    {
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"predicted has {predicted.Count} labels, truth {truth.Count}.", nameof(predicted));
        var result = new double[parts.Count];
        for (int q = 0; q < parts.Count; q++)
        {
            int inter = 0, union = 0;
            for (int i = 0; i < truth.Count; i++)
            {
                bool a = predicted[i] == parts[q], b = truth[i] == parts[q];
                if (a && b) inter++;
                if (a || b) union++;
            }
            result[q] = union == 0 ? 1.0 : (double)inter / union;
        }
        return result;
    }

    /// <summary>Scores predictions (one label array per shape) against the shapes' true parts.</summary>
    public static SegmentationScores Evaluate(IReadOnlyList<int[]> predictions, IReadOnlyList<PartShape> shapes)
    {
        if (predictions.Count != shapes.Count)
            throw new ArgumentException($"predictions: {predictions.Count} given for {shapes.Count} shapes.", nameof(predictions));
        var partSum = new double[PartCatalog.PartCount];
        var classSum = new double[PartCatalog.ClassCount];
        var classCount = new int[PartCatalog.ClassCount];
        double instance = 0;
        for (int s = 0; s < shapes.Count; s++)
        {
            var parts = PartCatalog.PartsOf(shapes[s].Class);
            var iou = OfShape(predictions[s], shapes[s].Parts, parts);
            for (int q = 0; q < parts.Length; q++) partSum[parts[q]] += iou[q];
            double mean = iou.Average();
            classSum[shapes[s].Class] += mean; classCount[shapes[s].Class]++;
            instance += mean;
        }
        var partIoU = Enumerable.Range(0, PartCatalog.PartCount).Select(p =>
        {
            int c = classCount[PartCatalog.ClassOfPart[p]];
            return c == 0 ? double.NaN : partSum[p] / c;
        }).ToArray();
        var classIoU = Enumerable.Range(0, PartCatalog.ClassCount).Select(c => classCount[c] == 0 ? double.NaN : classSum[c] / classCount[c]).ToArray();
        return new SegmentationScores(partIoU, classIoU, shapes.Count == 0 ? double.NaN : instance / shapes.Count);
    }
}
