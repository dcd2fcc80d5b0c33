using SslCourse.Models;
using SslCourse.Data;
using SslCourse.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// Ready-made monitors for <see cref="Trainer.Run"/>: functions that measure a model while it trains (kNN accuracy of
/// the encoder, the collapse std of its outputs) and return named numbers for the progress display and the history.
/// Each runs in eval mode without gradients and restores the model's training mode.
/// </summary>
public static class Monitors
{
    /// <summary>Weighted kNN accuracy (<see cref="Evaluation.Knn"/>) of the encoder's features: the bank is the labelled
    /// <paramref name="bank"/> set, the queries <paramref name="test"/>.</summary>
    /// <param name="encoder"><c>[B, C, H, W]</c> -> <c>[B, D]</c></param>
    /// <param name="bank">images and labels whose features vote</param>
    /// <param name="test">images and labels scored</param>
    /// <param name="k">neighbours (20 suits a few thousand images; the paper's 200 suits ImageNet)</param>
    /// <param name="name">the metric's name</param>
    public static Func<IReadOnlyDictionary<string, double>> Knn(nn.Module<Tensor, Tensor> encoder, LabeledImages bank, LabeledImages test,
        int k = 20, string name = "knn") =>
        () => new Dictionary<string, double> { [name] = KnnAccuracy(encoder, bank, test, k) };

    /// <summary>kNN accuracy (0..1) of <paramref name="encoder"/>'s features, bank vs test.</summary>
    public static double KnnAccuracy(nn.Module<Tensor, Tensor> encoder, LabeledImages bank, LabeledImages test, int k = 20)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        using var scope = NewDisposeScope();
        var fb = FeatureExtractor.Extract(encoder, bank.Images);
        var ft = FeatureExtractor.Extract(encoder, test.Images);
        return Evaluation.Knn.Accuracy(fb, bank.Labels, ft, test.Labels, Math.Max(bank.NumClasses, 2), k);
    }

    /// <summary>The collapse std (<see cref="CollapseMetrics.NormalisedStd"/>) of <paramref name="outputs"/> applied to a
    /// fixed batch of images.</summary>
    /// <param name="model">the module whose training mode is switched off while measuring</param>
    /// <param name="outputs">images <c>[B, C, H, W]</c> -> outputs <c>[B, D]</c> (e.g. encoder then projector)</param>
    /// <param name="images">the fixed batch <c>[B, C, H, W]</c>, B &gt;= 2</param>
    /// <param name="name">the metric's name</param>
    public static Func<IReadOnlyDictionary<string, double>> Collapse(nn.Module model, Func<Tensor, Tensor> outputs, Tensor images, string name = "std") =>
        () => new Dictionary<string, double> { [name] = OutputStd(model, outputs, images) };

    /// <summary>The collapse std of <paramref name="outputs"/> on <paramref name="images"/>, in eval mode without gradients.</summary>
    public static double OutputStd(nn.Module model, Func<Tensor, Tensor> outputs, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        using var mode = ModeScope.Eval(model);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return CollapseMetrics.NormalisedStd(outputs(images).flatten(1));
    }

    /// <summary>Several monitors as one (their metrics merged in order; a later name overwrites an earlier one).</summary>
    public static Func<IReadOnlyDictionary<string, double>> Combine(params Func<IReadOnlyDictionary<string, double>>[] monitors) =>
        () =>
        {
            var all = new Dictionary<string, double>();
            foreach (var m in monitors) foreach (var (key, value) in m()) all[key] = value;
            return all;
        };
}
