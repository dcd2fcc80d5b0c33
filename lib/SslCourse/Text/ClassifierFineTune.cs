using SslCourse.Models;
using SslCourse.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>How <see cref="ClassifierFineTune"/> trains: AdamW with weight decay 0.01, the head at
/// <see cref="TrainingOptions.LearningRate"/> 1e-3 and the body at <see cref="BodyLearningRate"/> (0 freezes it: a
/// linear probe), <see cref="TrainingOptions.BatchSize"/> 16 distinct examples per step drawn from the generator of
/// <see cref="TrainingOptions.Seed"/>; no progress display by default.</summary>
public sealed record ClassifierFineTuneOptions : TrainingOptions
{
    /// <summary>The defaults.</summary>
    public ClassifierFineTuneOptions() { Steps = 50; BatchSize = 16; LearningRate = 1e-3; ShowProgress = false; }

    /// <summary>The body's learning rate: 0 freezes it (a linear probe on the pooled states).</summary>
    public double BodyLearningRate { get; init; } = 1e-3;
    /// <summary>AdamW's weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;
}

/// <summary>Trains a <see cref="TransformerClassifier"/> on labelled sequences with cross-entropy, on the course's one
/// loop (<see cref="Trainer"/>).</summary>
public static class ClassifierFineTune
{
    /// <summary>Trains <paramref name="classifier"/> in place (left in eval mode, every body weight trainable again);
    /// the history holds the loss of every step.</summary>
    /// <param name="classifier">the classifier, its body pre-trained or not</param>
    /// <param name="tokens">Inputs. <c>[N, T]</c> int64.</param>
    /// <param name="labels">Class indices. <c>[N]</c> int64.</param>
    /// <param name="options">steps (at least 1), batch, learning rates, weight decay, seed</param>
    public static TrainHistory Run(TransformerClassifier classifier, Tensor tokens, Tensor labels, ClassifierFineTuneOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateCore(minSteps: 1);
        if (!(options.BodyLearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(options), options.BodyLearningRate, "ClassifierFineTuneOptions.BodyLearningRate must be 0 (frozen) or positive.");
        if (tokens.shape[0] != labels.shape[0]) throw new ArgumentException($"tokens has {tokens.shape[0]} rows but labels has {labels.shape[0]}.", nameof(labels));
        long n = tokens.shape[0];
        int b = (int)Math.Min(options.BatchSize, n);
        var body = classifier.Body;
        var groups = new List<AdamW.ParamGroup> { new(classifier.Head.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay) };
        if (options.BodyLearningRate > 0) groups.Add(new(body.parameters(), lr: options.BodyLearningRate, weight_decay: options.WeightDecay));
        foreach (var p in body.parameters()) p.requires_grad = options.BodyLearningRate > 0;
        using var optimizer = optim.AdamW(groups);
        var generator = Course.Generator(options.Seed);
        classifier.train();
        try
        {
            return Trainer.Run(options.Loop("fine-tuning the classifier", options.Steps) with { ThrowOnNonFiniteLoss = false }, optimizer, _ =>
            {
                var index = randperm(n, generator: generator).narrow(0, 0, b);          // [b] distinct examples
                return nn.functional.cross_entropy(classifier.call(tokens.index_select(0, index)), labels.index_select(0, index));
            });
        }
        finally
        {
            foreach (var p in body.parameters()) p.requires_grad = true;
            classifier.eval();
        }
    }
}
