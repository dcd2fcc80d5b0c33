using System.Diagnostics;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Pretraining;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Cli.Bench;

/// <summary>The training speed of one method: source images per second of a whole step (views, forward, backward,
/// optimizer and the method's own update), median over the timed steps.</summary>
/// <param name="Method">the method's name</param>
/// <param name="Batch">source images per step</param>
/// <param name="ImagesPerSecond">Batch / median step time</param>
/// <param name="MedianStepSeconds">median wall time of a step</param>
/// <param name="Inputs">what the encoder sees per source image (e.g. "2 views", "4 rotations", "9 tiles")</param>
public sealed record MethodSpeedResult(string Method, int Batch, double ImagesPerSecond, double MedianStepSeconds, string Inputs);

/// <summary>
/// Times one training step of every method the course teaches on one of its datasets, with the same code the
/// notebooks and <c>ssl-course pretrain</c> use (<see cref="PretrainMethods"/>), one step at a time.
/// </summary>
public static class MethodSpeed
{
    /// <summary>Every method timed by <see cref="Measure"/>, in the course's order (<see cref="PretrainMethods.All"/>).</summary>
    public static IReadOnlyList<string> Methods => PretrainMethods.Names;

    /// <summary>Times <paramref name="steps"/> steps of <paramref name="method"/> after <paramref name="warmup"/> untimed ones.</summary>
    /// <param name="method">one of <see cref="Methods"/></param>
    /// <param name="batch">source images per step</param>
    /// <param name="steps">timed steps (at least 1)</param>
    /// <param name="warmup">untimed steps first</param>
    /// <param name="width">the ConvNet's width multiplier</param>
    /// <param name="dataset">the images (<see cref="PretrainData"/>): "toy" (32x32 colour) or "fmnist" (28x28 grayscale)</param>
    /// <param name="format">the step's layout: fp32 or channels-last (the bf16 formats train through a working copy that
    /// only <see cref="Pretrainer"/> builds; the speed section times them on SimCLR)</param>
    /// <param name="views">the views of a two-view method (<see cref="PretrainMethods.TwoView"/>)</param>
    public static MethodSpeedResult Measure(string method, int batch = 128, int steps = 5, int warmup = 2, double width = 0.5, string dataset = "toy",
        StepFormat format = StepFormat.Fp32, ViewStrength views = ViewStrength.Default)
    {
        if (!Methods.Contains(method)) throw new ArgumentException($"unknown method '{method}'; expected one of: {string.Join(", ", Methods)}.", nameof(method));
        if (format.IsBf16()) throw new ArgumentException($"format {StepFormats.Name(format)}: MethodSpeed times fp32 and channels-last steps.", nameof(format));
        PretrainMethods.CheckViews(PretrainMethods.Get(method), views, nameof(views));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (batch < 2) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 2.");
        using var scope = NewDisposeScope();
        Course.Reseed(0);
        var data = PretrainData.Train(dataset, Math.Max(4 * batch, 512));
        var timed = StepTimes(method, dataset, data, batch, steps, warmup, width, format, views).Order().ToList();
        double median = timed[timed.Count / 2];
        return new MethodSpeedResult(method, batch, batch / median, median, PretrainMethods.Get(method).Inputs);
    }

    static List<double> StepTimes(string method, string dataset, LabeledImages data, int batch, int steps, int warmup, double width, StepFormat format, ViewStrength views)
    {
        var setup = PretrainSetup.For(dataset, PretrainData.Channels(dataset), width, data.NumClasses, 0) with { Images = data.Images, Strength = views };
        var (built, recipe, loader) = Pretrainer.Prepare(PretrainMethods.Get(method), setup,
            data, batch, learningRate: 1e-3, weightDecay: 0, seed: 0);
        var optimizer = recipe.Optimizer;
        using var batches = loader.Forever().GetEnumerator();
        var times = new List<double>();
        for (int s = 0; s < warmup + steps; s++)
        {
            using var stepScope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            batches.MoveNext();
            optimizer.zero_grad();
            built.Loss(StepFormats.Prepare(batches.Current, format)).backward();   // as Pretrainer.Run does
            optimizer.step();
            built.AfterStep?.Invoke(s / (double)(warmup + steps));
            if (s >= warmup) times.Add(watch.Elapsed.TotalSeconds);
        }
        return times;
    }
}
