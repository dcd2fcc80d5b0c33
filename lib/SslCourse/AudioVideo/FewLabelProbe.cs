using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// The downstream test of the audio-video notebook: classify frames from a handful of labels per class, either with
/// a linear classifier on frozen features (a linear probe) or by training a whole network from scratch.
/// </summary>
public static class FewLabelProbe
{
    /// <summary>Picks <paramref name="perClass"/> indices of each class at random.</summary>
    /// <param name="labels">[N] int64 labels in 0..classes-1.</param>
    /// <returns>[classes * perClass] int64 indices into labels (fewer where a class has fewer members).</returns>
    public static Tensor Sample(Tensor labels, int classes, int perClass, Generator generator)
    {
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "perClass must be at least 1.");
        using var scope = NewDisposeScope();
        var picks = new List<Tensor>();
        for (int c = 0; c < classes; c++)
        {
            var members = labels.eq(c).nonzero().squeeze(1);                                   // [n_c]
            var order = randperm(members.shape[0], generator: generator);
            picks.Add(members.index_select(0, order.narrow(0, 0, Math.Min(perClass, members.shape[0]))));
        }
        return cat(picks).MoveToOuterDisposeScope();
    }

    /// <summary>Trains a linear classifier on standardised features (full batch, Adam, weight decay) and returns its
    /// test accuracy.</summary>
    /// <param name="trainFeatures">[n, D].</param>
    /// <param name="trainLabels">[n] int64.</param>
    /// <param name="testFeatures">[m, D].</param>
    /// <param name="testLabels">[m] int64.</param>
    /// <param name="steps">Optimiser steps.</param>
    /// <param name="weightDecay">L2 penalty on the weights.</param>
    public static double LinearAccuracy(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels, int classes,
                                        int steps = 300, double weightDecay = 1e-3)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        using var scope = NewDisposeScope();
        var mean = trainFeatures.mean(new long[] { 0 }, keepdim: true);
        var std = trainFeatures.shape[0] > 1 ? trainFeatures.std(new long[] { 0 }, keepdim: true).clamp_min(1e-6) : ones_like(mean);
        var xtr = trainFeatures.sub(mean).div(std).detach();
        var xte = testFeatures.sub(mean).div(std).detach();
        // zero initialisation: the result depends on the data only
        using var linear = nn.Linear(xtr.shape[1], classes);
        using (no_grad()) { linear.weight!.zero_(); linear.bias!.zero_(); }
        var opt = optim.Adam(linear.parameters(), lr: 0.01, weight_decay: weightDecay);
        for (int s = 0; s < steps; s++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            nn.functional.cross_entropy(linear.call(xtr), trainLabels).backward();
            opt.step();
        }
        using (no_grad())
            return linear.call(xte).argmax(1).eq(testLabels).to_type(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>Frozen features of a frame encoder in evaluation mode, in batches: [N, 3, H, W] -> [N, D].</summary>
    public static Tensor Features(nn.Module<Tensor, Tensor> encoder, Tensor frames, int batch = 500)
    {
        using var scope = NewDisposeScope();
        encoder.eval();
        var outs = new List<Tensor>();
        using (no_grad())
            for (long i = 0; i < frames.shape[0]; i += batch)
                outs.Add(encoder.call(frames.narrow(0, i, Math.Min(batch, frames.shape[0] - i))));
        return cat(outs).MoveToOuterDisposeScope();
    }
}
