using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Evaluation;

/// <summary>How fine-tuning trains.</summary>
public sealed record FineTuneOptions
{
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 200;
    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Adam's learning rate for the new linear head.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>The encoder's learning rate as a fraction of the head's (small, so pre-trained features are kept).</summary>
    public double EncoderLrScale { get; init; } = 0.1;
    /// <summary>Optional augmentation applied to each training batch <c>[B, C, H, W]</c>.</summary>
    public Func<Tensor, Tensor>? Augment { get; init; }
    /// <summary>Seed of the batch draws.</summary>
    public long Seed { get; init; }
    /// <summary>Show the live progress display.</summary>
    public bool ShowProgress { get; init; }
}

/// <summary>What fine-tuning produced.</summary>
/// <param name="TestAccuracy">accuracy (0..1) on the test images</param>
/// <param name="Classifier">the linear head trained with the encoder</param>
/// <param name="History">the training run</param>
public sealed record FineTuneResult(double TestAccuracy, LinearClassifier Classifier, TrainHistory History);

/// <summary>Fine-tuning: a new linear head on the encoder, both trained on the labelled images (the encoder with a
/// smaller learning rate). Changes the encoder's weights: pass a copy to keep the original.</summary>
public static class FineTune
{
    /// <summary>Trains encoder + head on <c>[N, C, H, W]</c> images with <c>[N]</c> labels and scores the test set.</summary>
    public static FineTuneResult Run(Module<Tensor, Tensor> encoder, int featureDim, int classes, Tensor images, Tensor labels,
        Tensor testImages, Tensor testLabels, FineTuneOptions? options = null)
    {
        var o = options ?? new FineTuneOptions();
        if (o.Steps < 1) throw new ArgumentOutOfRangeException(nameof(o.Steps), o.Steps, "Steps must be at least 1.");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, "BatchSize must be at least 1.");
        if (!(o.LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "LearningRate must be positive.");
        if (!(o.EncoderLrScale >= 0)) throw new ArgumentOutOfRangeException(nameof(o.EncoderLrScale), o.EncoderLrScale, "EncoderLrScale must be non-negative.");
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0]) throw new ArgumentException($"labels must be [N] with N = {images.shape[0]}.", nameof(labels));

        var head = new LinearClassifier(featureDim, classes);
        var opt = optim.Adam([
            new TorchSharp.Modules.Adam.ParamGroup(encoder.parameters(), lr: o.LearningRate * o.EncoderLrScale),
            new TorchSharp.Modules.Adam.ParamGroup(head.parameters(), lr: o.LearningRate)], lr: o.LearningRate);
        var g = Course.Generator(o.Seed);
        long n = images.shape[0];
        var y = labels.to(ScalarType.Int64);
        encoder.train(); head.train();
        var history = Trainer.Run(new TrainOptions { Steps = o.Steps, Title = "fine-tuning", ShowProgress = o.ShowProgress }, opt, _ =>
        {
            var idx = randint(0, n, [Math.Min(o.BatchSize, n)], generator: g);
            var x = images.index_select(0, idx);
            if (o.Augment is not null) x = o.Augment(x);
            return Losses.CrossEntropy.Hard(head.call(encoder.call(x)), y.index_select(0, idx));
        });
        var model = Sequential(("encoder", encoder), ("head", head));
        var feats = FeatureExtractor.Extract(model, testImages);   // [N, classes] logits, eval mode
        double acc;
        using (var pred = feats.argmax(1)) acc = Metrics.Accuracy(pred, testLabels);
        feats.Dispose();
        return new FineTuneResult(acc, head, history);
    }
}
