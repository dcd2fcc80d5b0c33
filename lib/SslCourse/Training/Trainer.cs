using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>What a training run does besides the step itself.</summary>
public sealed record TrainOptions
{
    /// <summary>Steps to run (the run may stop earlier at <see cref="TimeBudget"/>).</summary>
    public required int Steps { get; init; }
    /// <summary>Wall-clock budget; the run stops cleanly after the step that crosses it. Null: no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Learning rate as a function of the run's progress (<see cref="CosineSchedule"/> by step,
    /// <see cref="WarmupCosine"/> by fraction of the run); null keeps the optimizer's own rate.</summary>
    public Schedule? Schedule { get; init; }
    /// <summary>One schedule per parameter group of the optimizer (in the optimizer's group order), for recipes whose
    /// groups follow different rates (SimSiam's predictor keeps a fixed rate while the rest follows a cosine:
    /// <see cref="SimSiamRecipe"/>); it replaces <see cref="Schedule"/>. Null: <see cref="Schedule"/> for every group.</summary>
    public IReadOnlyList<Schedule>? GroupSchedules { get; init; }
    /// <summary>The run's clock, when the caller reads the same progress outside the loop; null: the loop starts one
    /// from <see cref="Steps"/> and <see cref="TimeBudget"/>.</summary>
    public RunClock? Clock { get; init; }
    /// <summary>Call the monitor every this many steps (and after the last one); 0 never calls it.</summary>
    public int MonitorEvery { get; init; }
    /// <summary>Called after each backward pass, before clipping and the optimizer's step (e.g.
    /// <see cref="Bf16WorkingCopy.Push"/>, which moves a bf16 copy's gradients to the fp32 master); null: nothing.</summary>
    public Action? AfterBackward { get; init; }
    /// <summary>Clip the global gradient norm to this value; null: no clipping.</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>The progress display's title.</summary>
    public string Title { get; init; } = "training";
    /// <summary>Show the live progress display (loss, monitored metrics, elapsed and remaining time).</summary>
    public bool ShowProgress { get; init; } = true;
    /// <summary>Stop with an exception naming the step when the loss becomes NaN or infinite.</summary>
    public bool ThrowOnNonFiniteLoss { get; init; } = true;
    /// <summary>Steps that make one pass over the data, to count <see cref="TrainHistory.Epochs"/>; null: not counted.</summary>
    public double? StepsPerEpoch { get; init; }
    /// <summary>Asked after each step (after <c>afterStep</c>) with the 0-based step: true ends the run there (early
    /// stopping). Null: the run ends at <see cref="Steps"/> or the time budget.</summary>
    public Func<int, bool>? StopWhen { get; init; }
}

/// <summary>What a run did, the one result type of every trainer: the loss of every step, each monitored metric, the
/// steps and epochs done, the wall time, and the final metrics the trainer measured after the loop.</summary>
public sealed class TrainHistory
{
    /// <summary>Step numbers (1-based) of <see cref="Loss"/>.</summary>
    public List<int> Steps { get; } = [];
    /// <summary>The loss of each step.</summary>
    public List<double> Loss { get; } = [];
    /// <summary>Learning rate of each step (empty without a schedule).</summary>
    public List<double> LearningRate { get; } = [];
    /// <summary>Each monitored metric as (step, value) pairs.</summary>
    public Dictionary<string, List<(int Step, double Value)>> Metrics { get; } = [];
    /// <summary>Steps completed.</summary>
    public int CompletedSteps => Steps.Count;
    /// <summary>True when the time budget ended the run before its last step.</summary>
    public bool StoppedByBudget { get; internal set; }
    /// <summary>True when <see cref="TrainOptions.StopWhen"/> ended the run before its last step.</summary>
    public bool StoppedEarly { get; internal set; }
    /// <summary>Wall time of the loop.</summary>
    public TimeSpan Elapsed { get; internal set; }
    /// <summary>Passes over the data (steps / <see cref="TrainOptions.StepsPerEpoch"/>; NaN when the trainer does not count them).</summary>
    public double Epochs { get; internal set; } = double.NaN;
    /// <summary>What the trainer measured after the loop (test accuracy, validation accuracy, kNN...), by name.</summary>
    public Dictionary<string, double> Final { get; } = [];
    /// <summary>The mean loss over the last <paramref name="n"/> steps (NaN before any step).</summary>
    public double RecentLoss(int n = 20) => Loss.Count == 0 ? double.NaN : Loss.Skip(Math.Max(0, Loss.Count - n)).Average();
    /// <summary>The last value of a monitored metric (NaN when never measured).</summary>
    public double Last(string metric) => Metrics.TryGetValue(metric, out var v) && v.Count > 0 ? v[^1].Value : double.NaN;
}

/// <summary>
/// The course's one training loop. It knows nothing of methods: the step function computes a loss from step's batch,
/// and the loop does the rest — learning rate from the schedule, zero_grad, backward, optimizer step, an optional
/// after-step hook (EMA update, queue), one dispose scope per step, progress, monitor and time budget.
/// </summary>
/// <example><code>
/// var history = Trainer.Run(new TrainOptions { Steps = 500, Schedule = new CosineSchedule(0.1, 500, 50) }, optimizer,
///     step => simclr.Loss(views1[step], views2[step]),
///     monitor: () => new() { ["knn"] = Knn.Accuracy(...) });
/// </code></example>
public static class Trainer
{
    /// <summary>Runs the loop.</summary>
    /// <param name="options">steps, budget, schedule, monitor period, display</param>
    /// <param name="optimizer">any torch optimizer (SGD with momentum, Adam, AdamW...)</param>
    /// <param name="step">given the 0-based step, returns the scalar loss to minimise (built inside the step's dispose scope)</param>
    /// <param name="monitor">measures metrics (e.g. kNN accuracy) every <see cref="TrainOptions.MonitorEvery"/> steps</param>
    /// <param name="afterStep">runs after each optimizer step with the 0-based step (e.g. a momentum update)</param>
    /// <returns>the run's history</returns>
    public static TrainHistory Run(TrainOptions options, optim.Optimizer optimizer, Func<int, Tensor> step,
        Func<IReadOnlyDictionary<string, double>>? monitor = null, Action<int>? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(step);
        if (options.Steps < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "TrainOptions.Steps must be non-negative.");
        if (options.MonitorEvery < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MonitorEvery, "TrainOptions.MonitorEvery must be non-negative.");
        if (options.StepsPerEpoch is { } spe && !(spe > 0)) throw new ArgumentOutOfRangeException(nameof(options), spe, "TrainOptions.StepsPerEpoch must be positive.");
        if (options.ClipGradNorm is { } c && !(c > 0)) throw new ArgumentOutOfRangeException(nameof(options), c, "TrainOptions.ClipGradNorm must be positive.");

        var history = new TrainHistory();
        var watch = Stopwatch.StartNew();
        var clock = options.Clock ?? new RunClock(options.Steps, options.TimeBudget);
        using var progress = options.ShowProgress ? TrainingProgress.Open(options.Title, options.Steps) : null;
        var shown = new Dictionary<string, double>();
        var parameters = optimizer.parameters().ToList();
        var groups = optimizer.ParamGroups.ToList();
        if (options.GroupSchedules is { } perGroup && perGroup.Count != groups.Count)
            throw new ArgumentException($"TrainOptions.GroupSchedules has {perGroup.Count} schedule(s) for an optimizer of {groups.Count} parameter group(s).", nameof(options));

        for (int i = 0; i < options.Steps; i++)
        {
            double lossValue;
            using (NewDisposeScope())
            {
                if (options.GroupSchedules is { } schedules)
                {
                    var progressNow = clock.At(i);
                    for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = schedules[g].At(progressNow);
                    history.LearningRate.Add(groups[0].LearningRate);
                }
                else if (options.Schedule is { } schedule)
                {
                    double lr = schedule.At(clock.At(i));
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                    history.LearningRate.Add(lr);
                }
                optimizer.zero_grad();
                var loss = step(i);
                if (loss.numel() != 1) throw new InvalidOperationException($"the step function must return a scalar loss; step {i} returned [{string.Join(", ", loss.shape)}].");
                loss.backward();
                options.AfterBackward?.Invoke();
                if (options.ClipGradNorm is { } clip) nn.utils.clip_grad_norm_(parameters, clip);
                optimizer.step();
                afterStep?.Invoke(i);
                lossValue = loss.to(ScalarType.Float32).item<float>();
            }
            if (options.ThrowOnNonFiniteLoss && !double.IsFinite(lossValue))
                throw new InvalidOperationException($"the loss became {lossValue} at step {i + 1}: lower the learning rate or check the inputs.");
            history.Steps.Add(i + 1);
            history.Loss.Add(lossValue);
            shown["loss"] = lossValue;

            bool last = i == options.Steps - 1;
            bool overBudget = options.TimeBudget is { } budget && watch.Elapsed >= budget;
            if (monitor != null && options.MonitorEvery > 0 && ((i + 1) % options.MonitorEvery == 0 || last || overBudget))
            {
                using (NewDisposeScope())
                foreach (var (name, value) in monitor())
                {
                    if (!history.Metrics.TryGetValue(name, out var list)) history.Metrics[name] = list = [];
                    list.Add((i + 1, value));
                    shown[name] = value;
                }
            }
            progress?.Report(i + 1, shown);
            if (overBudget && !last) { history.StoppedByBudget = true; break; }
            if (options.StopWhen is { } stop && stop(i) && !last) { history.StoppedEarly = true; break; }
        }
        history.Elapsed = watch.Elapsed;
        if (options.StepsPerEpoch is { } perEpoch && perEpoch > 0) history.Epochs = history.CompletedSteps / perEpoch;
        return history;
    }
}
