using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SslCourse.Evaluation;

/// <summary>
/// Few-shot evaluation: k labelled examples per class, classified by nearest class prototype (the mean of the
/// normalised support features, cosine similarity; Snell, Swersky and Zemel, NeurIPS 2017) or by a linear probe.
/// </summary>
public static class FewShot
{
    /// <summary>Indices of <paramref name="shots"/> random samples of each class, drawn from <paramref name="generator"/>.</summary>
    /// <param name="labels"><c>[N]</c> int64 in 0..classes-1</param>
    /// <param name="shots">k, samples per class</param>
    /// <param name="classes">number of classes</param>
    /// <param name="generator">the draw's randomness</param>
    /// <returns><c>[classes * shots]</c> int64, class by class</returns>
    /// <exception cref="ArgumentException">a class has fewer than k samples</exception>
    public static Tensor Sample(Tensor labels, int shots, int classes, Generator generator)
    {
        if (shots < 1) throw new ArgumentOutOfRangeException(nameof(shots), shots, "shots must be at least 1.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        using var scope = NewDisposeScope();
        var y = labels.to(ScalarType.Int64).cpu();
        var picks = new List<Tensor>();
        for (int c = 0; c < classes; c++)
        {
            var members = y.eq(c).nonzero().flatten(); // [n_c]
            if (members.shape[0] < shots)
                throw new ArgumentException($"class {c} has {members.shape[0]} samples, fewer than shots = {shots}.", nameof(labels));
            var order = randperm(members.shape[0], generator: generator);
            picks.Add(members.index_select(0, order[..shots]));
        }
        return cat(picks.ToArray(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Class prototypes: the mean of the L2-normalised support features of each class, <c>[classes, D]</c>.</summary>
    public static Tensor Prototypes(Tensor supportFeatures, Tensor supportLabels, int classes)
    {
        using var scope = NewDisposeScope();
        var f = normalize(supportFeatures.to(ScalarType.Float32), dim: 1);                // [S, D]
        var onehot = one_hot(supportLabels.to(ScalarType.Int64), classes).to(ScalarType.Float32); // [S, C]
        var counts = onehot.T.sum(1, keepdim: true);                                      // [C, S] -> [C, 1]
        if (counts.eq(0).any().item<bool>()) throw new ArgumentException("every class needs at least one support sample.", nameof(supportLabels));
        return (onehot.T.matmul(f) / counts).MoveToOuterDisposeScope();                   // [C, S] x [S, D] -> [C, D]
    }

    /// <summary>Predicted class of each query: the prototype with the highest cosine similarity. <c>[N, D]</c> -> <c>[N]</c>.</summary>
    public static Tensor PredictByPrototype(Tensor prototypes, Tensor queries)
    {
        using var scope = NewDisposeScope();
        var sim = normalize(queries.to(ScalarType.Float32), dim: 1).matmul(normalize(prototypes, dim: 1).T); // [N, D] x [D, C] -> [N, C]
        return sim.argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy (0..1) of nearest-prototype classification.</summary>
    public static double PrototypeAccuracy(Tensor supportFeatures, Tensor supportLabels, Tensor queryFeatures, Tensor queryLabels, int classes)
    {
        using var scope = NewDisposeScope();
        var protos = Prototypes(supportFeatures, supportLabels, classes);
        return Metrics.Accuracy(PredictByPrototype(protos, queryFeatures), queryLabels);
    }

    /// <summary>Accuracy (0..1) of a linear probe trained on the support set only (no held-out split: too few labels).</summary>
    public static double ProbeAccuracy(Tensor supportFeatures, Tensor supportLabels, Tensor queryFeatures, Tensor queryLabels, int classes, int epochs = 100, long seed = 0)
    {
        var (acc, probe) = LinearProbe.Evaluate(supportFeatures, supportLabels, queryFeatures, queryLabels, classes,
            new LinearProbeOptions { HeldOut = 0, MaxEpochs = epochs, Seed = seed, BatchSize = 256 });
        probe.Dispose();
        return acc;
    }
}
