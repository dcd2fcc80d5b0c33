using System.Globalization;
using SslCourse.Pretraining;

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

    /// <summary>Steps that fill <see cref="Minutes"/> at a median step of <paramref name="stepSeconds"/>.</summary>
    public static int Steps(double stepSeconds) =>
        stepSeconds > 0 ? (int)Math.Round(Minutes * 60 / stepSeconds) : throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, "a step time must be positive.");

    /// <summary>The datasets a method trains on: every method on both, except colorization, which needs colour.</summary>
    public static IEnumerable<string> Datasets(string method) => method == "colorization" ? ["toy"] : ["toy", "fmnist"];
}

/// <summary>The methods section: one training step of every method on both datasets (the same code as
/// <c>ssl-course pretrain</c>), and the steps each gets in the <see cref="MatchedBudget"/> on this machine.</summary>
public static class MethodsSection
{
    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int steps = ctx.Quick ? 2 : 5;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var dataset in new[] { "toy", "fmnist" })
        {
            var measured = new List<MethodSpeedResult>();
            foreach (var method in MethodSpeed.Methods.Where(m => MatchedBudget.Datasets(m).Contains(dataset)))
            {
                var m = MethodSpeed.Measure(method, batch: MatchedBudget.Batch, steps: steps, warmup: ctx.Quick ? 1 : 2, width: MatchedBudget.Width, dataset: dataset);
                ctx.Report.Add(new BenchFigure("methods", $"{dataset}: {method} training step, ConvNet width {MatchedBudget.Width}, batch {MatchedBudget.Batch}", m.ImagesPerSecond, "img/s",
                    $"source images per second ({m.Inputs} each); median step {m.MedianStepSeconds * 1000:0} ms"));
                measured.Add(m);
                rows.Add([dataset, method, m.Inputs, $"{m.ImagesPerSecond:0}", $"{m.MedianStepSeconds * 1000:0}", MatchedBudget.Steps(m.MedianStepSeconds).ToString(CultureInfo.InvariantCulture)]);
            }
            ctx.Report.Add("methods", $"method-steps-{dataset}.png", $"one training step of each method, {dataset}", SslCourse.Display.Chart.Bars(
                measured.Select(m => m.Method).ToArray(), [new SslCourse.Display.Series("source images per second", measured.Select(m => m.ImagesPerSecond).ToArray())],
                title: $"One training step on {dataset}, ConvNet width {MatchedBudget.Width}, {MatchedBudget.Batch} source images", yLabel: "img/s", valueFormat: "0").WithSize(1000, 380), ctx.OutDir);
        }
        ctx.Report.Add(new BenchTable("methods", $"One training step of each method (ConvNet width {MatchedBudget.Width}, {MatchedBudget.Batch} source images), and its steps in {MatchedBudget.Minutes} minutes",
            ["dataset", "method", "encoder inputs per image", "img/s", "ms per step", $"steps in {MatchedBudget.Minutes} min"], rows,
            $"Median over {steps} steps after warm-up, {TorchSharp.torch.get_num_threads()} threads, through `ssl-course pretrain`'s code: views, forward, backward, " +
            "optimizer and the method's own update (EMA, queue). The last column is what this machine would give each method in the matched budget; " +
            "the shipped matched checkpoints use the step counts in their manifests (measured once on a quiet machine, see data/checkpoints/README.md)."));
        return Task.CompletedTask;
    }
}
