using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>Classification scores from predicted and true labels.</summary>
public static class Metrics
{
    /// <summary>Fraction of <paramref name="predictions"/> <c>[N]</c> equal to <paramref name="labels"/> <c>[N]</c>.</summary>
    public static double Accuracy(Tensor predictions, Tensor labels)
    {
        Check(predictions, labels);
        using var eq = predictions.to(ScalarType.Int64).eq(labels.to(ScalarType.Int64));
        using var m = eq.to(ScalarType.Float64).mean();
        return m.item<double>();
    }

    /// <summary>Counts <c>[classes, classes]</c>: row = true class, column = predicted class.</summary>
    public static long[,] ConfusionMatrix(Tensor predictions, Tensor labels, int classes)
    {
        Check(predictions, labels);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        var p = predictions.to(ScalarType.Int64).cpu().data<long>().ToArray();
        var y = labels.to(ScalarType.Int64).cpu().data<long>().ToArray();
        var m = new long[classes, classes];
        for (int i = 0; i < p.Length; i++)
        {
            if (y[i] < 0 || y[i] >= classes || p[i] < 0 || p[i] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"label {y[i]} or prediction {p[i]} at {i} is outside 0..{classes - 1}.");
            m[y[i], p[i]]++;
        }
        return m;
    }

    /// <summary>Accuracy of each true class (recall); NaN for a class without samples.</summary>
    public static double[] AccuracyPerClass(Tensor predictions, Tensor labels, int classes)
    {
        var m = ConfusionMatrix(predictions, labels, classes);
        var acc = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            long total = 0;
            for (int j = 0; j < classes; j++) total += m[c, j];
            acc[c] = total == 0 ? double.NaN : m[c, c] / (double)total;
        }
        return acc;
    }

    static void Check(Tensor predictions, Tensor labels)
    {
        if (predictions.dim() != 1 || !predictions.shape.SequenceEqual(labels.shape))
            throw new ArgumentException($"predictions and labels must both be [N]; got [{string.Join(", ", predictions.shape)}] and [{string.Join(", ", labels.shape)}].");
    }
}
