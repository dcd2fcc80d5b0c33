using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Evaluation;

/// <summary>How the linear probe trains (Adam at <see cref="TrainingOptions.LearningRate"/> 1e-2, mini-batches of
/// <see cref="TrainingOptions.BatchSize"/> 256, no progress display; <see cref="TrainingOptions.Steps"/> 0: the epochs
/// alone bound the run, otherwise it also stops after that many steps).</summary>
public sealed record LinearProbeOptions : TrainingOptions
{
    /// <summary>The probe's defaults.</summary>
    public LinearProbeOptions() { LearningRate = 1e-2; BatchSize = 256; ShowProgress = false; }

    /// <summary>Upper bound on epochs over the training features.</summary>
    public int MaxEpochs { get; init; } = 100;
    /// <summary>Stop after this many epochs without a better held-out loss.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>L2 penalty (Adam's weight decay).</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Fraction of the training features held out for early stopping (0: train <see cref="MaxEpochs"/> epochs).</summary>
    public double HeldOut { get; init; } = 0.1;
    /// <summary>The fewest held-out features worth stopping on. A smaller held-out split (10% of 10 labels per class is
    /// 10 images) makes the chosen epoch a coin toss and costs training labels, so below this size nothing is held
    /// out and the probe trains <see cref="MaxEpochs"/> epochs.</summary>
    public int MinHeldOut { get; init; } = 50;
}

/// <summary>A trained probe: standardisation statistics and the linear layer, with what it scored while training.</summary>
public sealed class LinearProbeResult : IDisposable
{
    /// <summary>The linear classifier on standardised features.</summary>
    public required LinearClassifier Probe { get; init; }
    /// <summary>Per-feature mean of the training features, <c>[D]</c>.</summary>
    public required Tensor Mean { get; init; }
    /// <summary>Per-feature standard deviation (at least 1e-6), <c>[D]</c>.</summary>
    public required Tensor Std { get; init; }
    /// <summary>Accuracy on the held-out split at the chosen epoch (NaN without a split).</summary>
    public double ValidationAccuracy { get; init; }
    /// <summary>Accuracy on the features it was fitted on.</summary>
    public double TrainAccuracy { get; init; }
    /// <summary>The epoch whose weights were kept (1-based).</summary>
    public int BestEpoch { get; init; }
    /// <summary>Epochs run.</summary>
    public int Epochs { get; init; }
    /// <summary>The training run: loss per step, epochs, wall time; <see cref="TrainHistory.Final"/> holds
    /// "train accuracy" and, with a held-out split, "validation accuracy".</summary>
    public required TrainHistory History { get; init; }

    /// <summary>Predicted classes of features <c>[N, D]</c> -> <c>[N]</c>.</summary>
    public Tensor Predict(Tensor features)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Probe.eval();
        return Probe.call((features.to(ScalarType.Float32) - Mean) / Std).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy (0..1) on features <c>[N, D]</c> with labels <c>[N]</c>.</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        using var p = Predict(features);
        return Metrics.Accuracy(p, labels);
    }

    /// <inheritdoc/>
    public void Dispose() { Probe.Dispose(); Mean.Dispose(); Std.Dispose(); }
}

/// <summary>
/// The linear evaluation protocol (Zhang, Isola and Efros, ECCV 2016; Oord et al. 2018; SimCLR): a linear classifier
/// trained on frozen, cached, standardised features; a held-out part of the training features chooses the epoch
/// (early stopping on its loss). Extract features once with <see cref="FeatureExtractor"/>.
/// </summary>
public static class LinearProbe
{
    /// <summary>Trains a probe.</summary>
    /// <param name="features"><c>[N, D]</c></param>
    /// <param name="labels"><c>[N]</c> int64 in 0..classes-1</param>
    /// <param name="classes">number of classes</param>
    /// <param name="options">training options (defaults: Adam 1e-2, up to 100 epochs, patience 10, 10% held out)</param>
    public static LinearProbeResult Fit(Tensor features, Tensor labels, int classes, LinearProbeOptions? options = null)
    {
        var o = options ?? new LinearProbeOptions();
        Validate(o);
        if (features.dim() != 2) throw new ArgumentException($"features must be [N, D]; got [{string.Join(", ", features.shape)}].", nameof(features));
        if (labels.dim() != 1 || labels.shape[0] != features.shape[0]) throw new ArgumentException($"labels must be [N] with N = {features.shape[0]}; got [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");

        using var outer = NewDisposeScope();
        var g = Course.Generator(o.Seed);
        var x = features.to(ScalarType.Float32).cpu();
        var y = labels.to(ScalarType.Int64).cpu();
        long n = x.shape[0];
        int nVal = o.HeldOut > 0 ? (int)Math.Floor(n * o.HeldOut) : 0;
        if (nVal < Math.Max(1, o.MinHeldOut) || n - nVal < 1) nVal = 0;
        var perm = randperm(n, generator: g);
        var trainIdx = perm[nVal..];
        var xTrain = x.index_select(0, trainIdx);
        var yTrain = y.index_select(0, trainIdx);
        Tensor? xVal = null, yVal = null;
        if (nVal > 0) { xVal = x.index_select(0, perm[..nVal]); yVal = y.index_select(0, perm[..nVal]); }

        var mean = xTrain.mean([0]);                          // [D]
        var std = xTrain.std(0).clamp_min(1e-6);              // [D]
        xTrain = (xTrain - mean) / std;
        if (xVal is not null) xVal = (xVal - mean) / std;

        var probe = new LinearClassifier((int)x.shape[1], classes);
        using (no_grad()) foreach (var p in probe.parameters()) p.zero_(); // convex problem: zero start, no global RNG drawn
        var opt = optim.Adam(probe.parameters(), lr: o.LearningRate, weight_decay: o.WeightDecay);
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epochs = 0, sinceBest = 0;
        var best = probe.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        long nTrain = xTrain.shape[0];
        int perEpoch = (int)((nTrain + o.BatchSize - 1) / o.BatchSize);
        long allSteps = (long)o.MaxEpochs * perEpoch;
        int steps = (int)Math.Min(o.Steps > 0 ? o.Steps : int.MaxValue, allSteps);
        Tensor? order = null;
        // One epoch is perEpoch steps over a fresh permutation; after its last step the held-out loss decides whether
        // to keep the weights and whether to stop (patience).
        var history = Trainer.Run(o.Loop("linear probe", steps) with
        {
            StepsPerEpoch = perEpoch,
            StopWhen = step =>
            {
                bool endOfEpoch = (step + 1) % perEpoch == 0 || step == steps - 1;
                if (!endOfEpoch) return false;
                epochs = step / perEpoch + 1;
                if (xVal is null) { bestEpoch = epochs; return false; }
                double valLoss;
                using (no_grad())
                using (NewDisposeScope())
                {
                    probe.eval();
                    valLoss = cross_entropy(probe.call(xVal), yVal!).item<float>();
                }
                if (valLoss < bestLoss - 1e-6)
                {
                    bestLoss = valLoss; bestEpoch = epochs; sinceBest = 0;
                    using (no_grad()) foreach (var (k, v) in probe.state_dict()) best[k].copy_(v);
                    return false;
                }
                return ++sinceBest >= o.Patience;
            },
        }, opt, step =>
        {
            int within = step % perEpoch;
            if (within == 0)
            {
                probe.train();
                order?.Dispose();
                order = randperm(nTrain, generator: g).MoveToOuterDisposeScope();   // kept for the epoch
            }
            long s = (long)within * o.BatchSize;
            var idx = order![(int)s..(int)Math.Min(nTrain, s + o.BatchSize)];
            return cross_entropy(probe.call(xTrain.index_select(0, idx)), yTrain.index_select(0, idx));
        });
        if (xVal is not null)
            using (no_grad()) foreach (var (k, v) in probe.state_dict()) v.copy_(best[k]);
        probe.eval();
        mean.MoveToOuterDisposeScope();
        std.MoveToOuterDisposeScope();
        double valAcc = double.NaN, trainAcc;
        using (no_grad())
        {
            if (xVal is not null) valAcc = Metrics.Accuracy(probe.call(xVal).argmax(1), yVal!);
            trainAcc = Metrics.Accuracy(probe.call(xTrain).argmax(1), yTrain);
        }
        history.Final["train accuracy"] = trainAcc;
        if (xVal is not null) history.Final["validation accuracy"] = valAcc;
        return new LinearProbeResult { Probe = probe, Mean = mean, Std = std, BestEpoch = bestEpoch, Epochs = epochs, ValidationAccuracy = valAcc, TrainAccuracy = trainAcc, History = history };
    }

    /// <summary>Fits on training features and scores on test features: the linear-evaluation number.</summary>
    /// <returns>test accuracy (0..1) and the probe</returns>
    public static (double TestAccuracy, LinearProbeResult Probe) Evaluate(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        int classes, LinearProbeOptions? options = null)
    {
        var probe = Fit(trainFeatures, trainLabels, classes, options);
        return (probe.Accuracy(testFeatures, testLabels), probe);
    }

    static void Validate(LinearProbeOptions o)
    {
        o.ValidateCore();
        if (o.MaxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxEpochs), o.MaxEpochs, "MaxEpochs must be at least 1.");
        if (o.Patience < 1) throw new ArgumentOutOfRangeException(nameof(o.Patience), o.Patience, "Patience must be at least 1.");
        if (!(o.WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(o.WeightDecay), o.WeightDecay, "WeightDecay must be non-negative.");
        if (!(o.HeldOut >= 0 && o.HeldOut < 1)) throw new ArgumentOutOfRangeException(nameof(o.HeldOut), o.HeldOut, "HeldOut must be in [0, 1).");
        if (o.MinHeldOut < 0) throw new ArgumentOutOfRangeException(nameof(o.MinHeldOut), o.MinHeldOut, "MinHeldOut must be non-negative.");
    }
}
