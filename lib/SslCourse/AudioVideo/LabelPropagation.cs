using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// Label propagation through an affinity matrix, the way correspondence features segment a video given only its
/// first frame's mask (Wang, Jabri and Efros, CVPR 2019; Jabri, Owens and Efros, NeurIPS 2020): every patch of the
/// next frame looks up the patches of earlier frames, keeps its top-k most similar, weighs them by a softmax with a
/// temperature, and takes the weighted average of their labels.
/// </summary>
public static class LabelPropagation
{
    static void Validate(double temperature, int topK)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive.");
        if (topK < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must be at least 1.");
    }

    /// <summary>Row-stochastic affinity: row i is a softmax of q_i . s_j / temperature over the <paramref name="topK"/>
    /// largest j (zero elsewhere). Entries where <paramref name="allowed"/> is false are never chosen; a row with
    /// fewer than topK allowed entries uses those it has.</summary>
    /// <param name="query">[N, D] features of the frame to label.</param>
    /// <param name="source">[M, D] features of the labelled frame(s).</param>
    /// <param name="temperature">Softmax temperature (0.07 in Jabri et al. 2020).</param>
    /// <param name="topK">Neighbours kept per query (10 in Jabri et al. 2020; at most M).</param>
    /// <param name="allowed">Optional [N, M] boolean mask (e.g. a spatial radius).</param>
    /// <returns>[N, M], rows summing to 1.</returns>
    public static Tensor Affinity(Tensor query, Tensor source, double temperature = 0.07, int topK = 10, Tensor? allowed = null)
    {
        Validate(temperature, topK);
        if (query.dim() != 2 || source.dim() != 2 || query.shape[1] != source.shape[1])
            throw new ArgumentException($"query [N, D] and source [M, D] must share D; got [{string.Join(",", query.shape)}] and [{string.Join(",", source.shape)}].");
        using var scope = NewDisposeScope();
        var logits = matmul(query, source.t()).div(temperature);                           // [N, D] @ [D, M] -> [N, M]
        if (allowed is not null) logits = logits.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        int k = (int)Math.Min(topK, source.shape[0]);
        var (vals, idx) = logits.topk(k, dim: 1);                                           // [N, k]
        var weights = vals.softmax(1);                                                      // [N, k] (-inf entries get 0)
        var aff = zeros_like(logits).scatter(1, idx, weights);                              // [N, M]
        return aff.MoveToOuterDisposeScope();
    }

    /// <summary>One propagation step: labels of the query = <see cref="Affinity"/> @ source labels.</summary>
    /// <param name="query">[N, D].</param>
    /// <param name="source">[M, D].</param>
    /// <param name="sourceLabels">[M, C] (one-hot or soft).</param>
    /// <param name="temperature">Softmax temperature of the affinities (&gt; 0).</param>
    /// <param name="topK">Each query keeps its topK most similar sources.</param>
    /// <param name="allowed">Optional [N, M] mask of the sources each query may use.</param>
    /// <returns>[N, C].</returns>
    public static Tensor Propagate(Tensor query, Tensor source, Tensor sourceLabels, double temperature = 0.07, int topK = 10, Tensor? allowed = null)
    {
        if (sourceLabels.dim() != 2 || sourceLabels.shape[0] != source.shape[0])
            throw new ArgumentException($"sourceLabels: expected [{source.shape[0]}, C], got [{string.Join(",", sourceLabels.shape)}].", nameof(sourceLabels));
        using var scope = NewDisposeScope();
        var aff = Affinity(query, source, temperature, topK, allowed);
        return matmul(aff, sourceLabels).MoveToOuterDisposeScope();                       // [N, M] @ [M, C] -> [N, C]
    }

    /// <summary>[h*w, h*w] mask: true where two grid cells lie within <paramref name="radius"/> cells (Euclidean).</summary>
    public static Tensor RadiusMask(int h, int w, double radius)
    {
        using var scope = NewDisposeScope();
        var ys = arange(h, dtype: ScalarType.Float32).repeat_interleave(w);                // [h*w]
        var xs = arange(w, dtype: ScalarType.Float32).repeat(h);                           // [h*w]
        var dy = ys.unsqueeze(1).sub(ys.unsqueeze(0));
        var dx = xs.unsqueeze(1).sub(xs.unsqueeze(0));
        return dy.square().add(dx.square()).le(radius * radius).MoveToOuterDisposeScope();
    }

    /// <summary>Propagates the first frame's labels through a video: frame t takes its labels from frame 0 (the given
    /// labels) and frame t-1 (its own propagated labels), the "first + previous frame" context of the papers above.
    /// Features are L2-normalised per cell.</summary>
    /// <param name="features">[T, D, h, w] per-frame feature maps.</param>
    /// <param name="firstLabels">[C, h, w] labels of frame 0 (one-hot or soft).</param>
    /// <param name="temperature">Softmax temperature of the affinity.</param>
    /// <param name="topK">Sources kept per query cell.</param>
    /// <param name="radius">Only cells within this many cells can be matched (no limit when null).</param>
    /// <returns>[T, C, h, w]; frame 0 is <paramref name="firstLabels"/>.</returns>
    public static Tensor PropagateVideo(Tensor features, Tensor firstLabels, double temperature = 0.07, int topK = 10, double? radius = null)
    {
        Validate(temperature, topK);
        if (features.dim() != 4) throw new ArgumentException($"features: expected [T, D, h, w], got [{string.Join(",", features.shape)}].", nameof(features));
        long T = features.shape[0], D = features.shape[1], h = features.shape[2], w = features.shape[3];
        if (firstLabels.dim() != 3 || firstLabels.shape[1] != h || firstLabels.shape[2] != w)
            throw new ArgumentException($"firstLabels: expected [C, {h}, {w}], got [{string.Join(",", firstLabels.shape)}].", nameof(firstLabels));
        long C = firstLabels.shape[0];
        using var scope = NewDisposeScope();
        var f = nn.functional.normalize(features, dim: 1).reshape(T, D, h * w).transpose(1, 2);   // [T, h*w, D]
        var lab0 = firstLabels.reshape(C, h * w).t().to_type(f.dtype);                          // [h*w, C]
        Tensor? allowed = radius is double r ? RadiusMask((int)h, (int)w, r).repeat(1, 2) : null; // [h*w, 2*h*w]
        var outs = new List<Tensor> { lab0 };
        var prev = lab0;
        for (long t = 1; t < T; t++)
        {
            var src = cat(new[] { f[0], f[t - 1] });                                             // [2*h*w, D]
            var srcLab = cat(new[] { lab0, prev });                                             // [2*h*w, C]
            prev = Propagate(f[t], src, srcLab, temperature, topK, allowed);                   // [h*w, C]
            outs.Add(prev);
        }
        return stack(outs).transpose(1, 2).reshape(T, C, h, w).MoveToOuterDisposeScope();      // [T, h*w, C] -> [T, C, h, w]
    }

    /// <summary>Mean intersection-over-union of predicted and true integer masks over the object classes 1..C-1
    /// (class 0, the background, is left out), averaged over frames; a class absent from both masks of a frame is skipped.</summary>
    /// <param name="predicted">[T, H, W] int64.</param>
    /// <param name="truth">[T, H, W] int64.</param>
    /// <param name="classes">Number of classes including the background.</param>
    public static double MeanIoU(Tensor predicted, Tensor truth, int classes)
    {
        if (!predicted.shape.SequenceEqual(truth.shape))
            throw new ArgumentException($"predicted [{string.Join(",", predicted.shape)}] and truth [{string.Join(",", truth.shape)}] differ in shape.");
        using var scope = NewDisposeScope();
        double sum = 0; int count = 0;
        for (long t = 0; t < predicted.shape[0]; t++)
            for (int c = 1; c < classes; c++)
            {
                var p = predicted[t].eq(c); var g = truth[t].eq(c);
                long union = p.logical_or(g).sum().item<long>();
                if (union == 0) continue;
                sum += (double)p.logical_and(g).sum().item<long>() / union;
                count++;
            }
        return count == 0 ? double.NaN : sum / count;
    }
}
