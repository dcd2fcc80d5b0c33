using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Evaluation;

/// <summary>How fine-tuning trains: 200 steps of 64 images, Adam at <see cref="TrainingOptions.LearningRate"/> 1e-3 for
/// the new linear head, no progress display by default.</summary>
public sealed record FineTuneOptions : TrainingOptions
{
    /// <summary>Fine-tuning's defaults.</summary>
    public FineTuneOptions() { Steps = 200; BatchSize = 64; LearningRate = 1e-3; ShowProgress = false; }

    /// <summary>The encoder's learning rate as a fraction of the head's (small, so pre-trained features are kept).</summary>
    public double EncoderLrScale { get; init; } = 0.1;
    /// <summary>Optional augmentation applied to each training batch <c>[B, C, H, W]</c>.</summary>
    public Func<Tensor, Tensor>? Augment { get; init; }
}

/// <summary>What fine-tuning produced.</summary>
/// <param name="TestAccuracy">accuracy (0..1) on the test images</param>
/// <param name="Classifier">the linear head trained with the encoder</param>
/// <param name="History">the training run; <see cref="TrainHistory.Final"/> holds "test accuracy"</param>
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
        o.ValidateCore(minSteps: 1);
        if (!(o.EncoderLrScale >= 0)) throw new ArgumentOutOfRangeException(nameof(o.EncoderLrScale), o.EncoderLrScale, "EncoderLrScale must be non-negative.");
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0]) throw new ArgumentException($"labels must be [N] with N = {images.shape[0]}.", nameof(labels));

        var device = ModelUtils.DeviceOf(encoder);
        var head = new LinearClassifier(featureDim, classes).to(device);   // beside the encoder
        var opt = optim.Adam([
            new TorchSharp.Modules.Adam.ParamGroup(encoder.parameters(), lr: o.LearningRate * o.EncoderLrScale),
            new TorchSharp.Modules.Adam.ParamGroup(head.parameters(), lr: o.LearningRate)], lr: o.LearningRate);
        var g = Course.Generator(o.Seed);
        long n = images.shape[0];
        var y = labels.to(ScalarType.Int64);
        encoder.train(); head.train();
        var history = Trainer.Run(o.Loop("fine-tuning", o.Steps) with { StepsPerEpoch = n / (double)Math.Min(o.BatchSize, n) }, opt, _ =>
        {
            var idx = randint(0, n, [Math.Min(o.BatchSize, n)], generator: g);   // drawn on the CPU
            var x = images.index_select(0, idx.to(images.device)).to(device);  // the batch follows the model
            if (o.Augment is not null) x = o.Augment(x);
            return Losses.CrossEntropy.Hard(head.call(encoder.call(x)), y.index_select(0, idx.to(y.device)).to(device));
        });
        var model = Sequential(("encoder", encoder), ("head", head));
        var feats = FeatureExtractor.Extract(model, testImages);   // [N, classes] logits, eval mode
        double acc;
        using (var pred = feats.argmax(1)) acc = Metrics.Accuracy(pred, testLabels);
        feats.Dispose();
        history.Final["test accuracy"] = acc;
        return new FineTuneResult(acc, head, history);
    }
}
