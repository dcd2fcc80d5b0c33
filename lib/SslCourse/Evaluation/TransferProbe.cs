using SslCourse.Data;
using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>A few-label linear probe score: the mean and spread over several draws of the labelled images.</summary>
/// <param name="Mean">Mean test accuracy (0..1).</param>
/// <param name="Std">Standard deviation over the draws (0 for one draw).</param>
/// <param name="PerClass">Labelled images per class.</param>
/// <param name="Draws">Number of draws.</param>
public sealed record ProbeScore(double Mean, double Std, int PerClass, int Draws)
{
    /// <summary>The accuracy of each draw (empty when the score was built from a mean and a spread only).</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>"61.2% ± 1.3" style text.</summary>
    public override string ToString() => $"{Mean * 100:0.0}% ± {Std * 100:0.0}";

    /// <summary>The draws as a measurement for a <see cref="Claim"/>, in percent.</summary>
    /// <exception cref="InvalidOperationException">The score holds no per-draw values.</exception>
    public Measured InPercent(string name) => Values.Count > 0 ? new Measured(name, Values.Select(v => 100 * v).ToList())
        : throw new InvalidOperationException($"probe score '{name}' keeps no per-draw values.");
}

/// <summary>
/// The transfer measurement of the pretext-task notebooks: a linear probe (<see cref="LinearProbe"/>) on frozen
/// features trained with only <c>perClass</c> labels per class, scored on a test set, repeated over several draws of
/// the labelled images (<see cref="LabelSplit.Split(Tensor, int, Generator)"/> with seeds seed, seed + 1, ...).
/// </summary>
public static class TransferProbe
{
    /// <summary>Scores features with a few-label probe.</summary>
    /// <param name="trainFeatures"><c>[N, D]</c> features of the images labels are drawn from</param>
    /// <param name="trainLabels"><c>[N]</c> int64</param>
    /// <param name="testFeatures"><c>[M, D]</c></param>
    /// <param name="testLabels"><c>[M]</c> int64</param>
    /// <param name="classes">number of classes</param>
    /// <param name="perClass">labelled images per class</param>
    /// <param name="draws">how many draws of the labelled images</param>
    /// <param name="seed">seed of the first draw</param>
    /// <param name="options">probe training (default <see cref="LinearProbeOptions"/>)</param>
    public static ProbeScore FewLabels(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels, int classes,
        int perClass, int draws = 3, int seed = 100, LinearProbeOptions? options = null)
    {
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "perClass must be at least 1.");
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), draws, "draws must be at least 1.");
        var accs = new double[draws];
        for (int d = 0; d < draws; d++)
        {
            using var scope = NewDisposeScope();
            var (labelled, _) = LabelSplit.Split(trainLabels, perClass, Course.Generator(seed + d));
            var (acc, probe) = LinearProbe.Evaluate(trainFeatures.index_select(0, labelled), trainLabels.index_select(0, labelled),
                testFeatures, testLabels, classes, (options ?? new LinearProbeOptions()) with { Seed = seed + d });
            probe.Dispose();
            accs[d] = acc;
        }
        double mean = accs.Average();
        double std = draws > 1 ? Math.Sqrt(accs.Sum(a => (a - mean) * (a - mean)) / (draws - 1)) : 0;
        return new ProbeScore(mean, std, perClass, draws) { Values = accs };
    }
}
