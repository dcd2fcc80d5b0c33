using System.Globalization;
using SslCourse.Pretraining;
using SslCourse.Training;

namespace SslCourse.Cli.Bench;

/// <summary>
/// The budget every method's shipped checkpoint (<c>data/checkpoints/*-matched.pt</c>) is trained for, so that the
/// quality table ranks methods rather than budgets: the same wall time on the 2-core reference machine, turned into a
/// fixed number of steps per method and dataset (a step count reproduces; a wall budget depends on the machine's load).
/// </summary>
public static class MatchedBudget
{
    /// <summary>Wall minutes of training per method and dataset on the quiet 2-core reference (2 threads).</summary>
    public const double Minutes = 3;
    /// <summary>Source images per step.</summary>
    public const int Batch = 128;
    /// <summary>The encoder's width multiplier.</summary>
    public const double Width = 0.5;
    /// <summary>The format a run of the set trains in, from its step-time ratio of channels-last to fp32 (median of
    /// alternated measurements): channels-last where that step is at least <see cref="StepFormats.AdoptionSpeedup"/>x
    /// faster (the adoption rule; its probe at equal steps was measured on SimCLR: within 1 point), fp32 elsewhere.</summary>
    public static StepFormat Format(double channelsLastSpeedup) => channelsLastSpeedup >= StepFormats.AdoptionSpeedup ? StepFormat.ChannelsLast : StepFormat.Fp32;

    /// <summary>Steps that fill <see cref="Minutes"/> at a median step of <paramref name="stepSeconds"/>.</summary>
    public static int Steps(double stepSeconds) =>
        stepSeconds > 0 ? (int)Math.Round(Minutes * 60 / stepSeconds) : throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, "a step time must be positive.");

    /// <summary>The datasets a method trains on: every method on both, except colorization, which needs colour.</summary>
    public static IEnumerable<string> Datasets(string method) => method == "colorization" ? ["toy"] : ["toy", "fmnist"];
}

/// <summary>A run of the matched set: a method of the matched set, or one of the two SimCLR levers of the quality
/// section (a wider encoder, stronger views), each trained in the same <see cref="MatchedBudget"/>.</summary>
/// <param name="Label">what the row is called</param>
/// <param name="Method">the method's name</param>
/// <param name="Width">the encoder's width</param>
/// <param name="Views">the views</param>
public sealed record MatchedRun(string Label, string Method, double Width, ViewStrength Views)
{
    /// <summary>Every run of the matched set and its levers on <paramref name="dataset"/>, in the course's order.</summary>
    public static IEnumerable<MatchedRun> On(string dataset) =>
        MethodSpeed.Methods.Where(m => MatchedBudget.Datasets(m).Contains(dataset)).Select(m => new MatchedRun(m, m, MatchedBudget.Width, ViewStrength.Default))
            .Append(new MatchedRun($"{PretrainMethods.SimClr.Name}, width 1.0 (lever)", PretrainMethods.SimClr.Name, 1.0, ViewStrength.Default))
            .Append(new MatchedRun($"{PretrainMethods.SimClr.Name}, strong views (lever)", PretrainMethods.SimClr.Name, MatchedBudget.Width, ViewStrength.Strong));
}

/// <summary>The methods section: one training step of every run of the matched set on both datasets (the same code as
/// <c>ssl-course pretrain</c>), in fp32 and channels-last side by side, the format the adoption rule gives each
/// (<see cref="MatchedBudget.Format"/>), and the steps it gets in the <see cref="MatchedBudget"/> on this machine.</summary>
public static class MethodsSection
{
    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int steps = ctx.Quick ? 2 : 5;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var dataset in new[] { "toy", "fmnist" })
        {
            var measured = new List<(string Label, double Fp32, double ChannelsLast)>();
            foreach (var run in MatchedRun.On(dataset))
            {
                // The two formats one after the other, so that a slow spell of the machine hits both.
                MethodSpeedResult Time(StepFormat f) => MethodSpeed.Measure(run.Method, batch: MatchedBudget.Batch, steps: steps, warmup: ctx.Quick ? 1 : 2,
                    width: run.Width, dataset: dataset, format: f, views: run.Views);
                var fp32 = Time(StepFormat.Fp32);
                var channelsLast = Time(StepFormat.ChannelsLast);
                double speedup = fp32.MedianStepSeconds / channelsLast.MedianStepSeconds;
                var format = MatchedBudget.Format(speedup);
                var chosen = format == StepFormat.Fp32 ? fp32 : channelsLast;
                ctx.Report.Add(new BenchFigure("methods", $"{dataset}: {run.Label} training step, channels-last / fp32, ConvNet width {run.Width:0.0#}, batch {MatchedBudget.Batch}", speedup, "x",
                    $"median steps of {fp32.MedianStepSeconds * 1000:0} ms (fp32) and {channelsLast.MedianStepSeconds * 1000:0} ms (channels-last); {chosen.Inputs} per source image"));
                measured.Add((run.Label, fp32.ImagesPerSecond, channelsLast.ImagesPerSecond));
                rows.Add([dataset, run.Label, chosen.Inputs, $"{fp32.ImagesPerSecond:0}", $"{channelsLast.ImagesPerSecond:0}", $"{speedup:0.00}", StepFormats.Name(format),
                    $"{chosen.MedianStepSeconds * 1000:0}", MatchedBudget.Steps(chosen.MedianStepSeconds).ToString(CultureInfo.InvariantCulture)]);
            }
            ctx.Report.Add("methods", $"method-steps-{dataset}.png", $"one training step of each run, {dataset}", SslCourse.Display.Chart.Bars(
                measured.Select(m => m.Label).ToArray(),
                [new SslCourse.Display.Series("fp32", measured.Select(m => m.Fp32).ToArray()), new SslCourse.Display.Series("channels-last", measured.Select(m => m.ChannelsLast).ToArray())],
                title: $"One training step on {dataset}, {MatchedBudget.Batch} source images", yLabel: "img/s", valueFormat: "0").WithSize(1200, 400), ctx.OutDir);
        }
        ctx.Report.Add(new BenchTable("methods", $"One training step of each run of the matched set (ConvNet width {MatchedBudget.Width} unless named, {MatchedBudget.Batch} source images) in fp32 and channels-last, and its steps in {MatchedBudget.Minutes} minutes",
            ["dataset", "run", "encoder inputs per image", "img/s fp32", "img/s channels-last", "channels-last / fp32", $"format (channels-last at >= {StepFormats.AdoptionSpeedup}x)", "ms per step (that format)", $"steps in {MatchedBudget.Minutes} min"], rows,
            $"Median over {steps} steps after warm-up, {TorchSharp.torch.get_num_threads()} threads, through `ssl-course pretrain`'s code: views, forward, backward, " +
            "optimizer and the method's own update (EMA, queue); each run in fp32, then in channels-last. The last three columns are what this machine would give each run " +
            "in the matched budget; the shipped matched checkpoints use the formats and step counts in their manifests, from the median ratio of three such runs on a quiet " +
            "machine (data/checkpoints/README.md). One run's ratio moves by about 0.1-0.3 between runs."));
        return Task.CompletedTask;
    }
}
