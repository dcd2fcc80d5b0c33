using System.Diagnostics;

namespace SslCourse.Training;

/// <summary>Where a run stands: the 0-based step about to run (or just run) and the fraction of the run done, 0..1.</summary>
/// <param name="Step">0-based step</param>
/// <param name="Fraction">share of the steps or of the time budget used, whichever is further (0..1)</param>
public readonly record struct RunProgress(int Step, double Fraction);

/// <summary>
/// How far a run has gone: the share of its steps, or of its time budget, whichever is further. One clock per run;
/// <see cref="Trainer.Run"/> makes one from its options, or uses <see cref="TrainOptions.Clock"/> when the caller needs
/// the same progress outside the loop (e.g. a momentum that follows it).
/// </summary>
public sealed class RunClock
{
    readonly Stopwatch watch = Stopwatch.StartNew();

    /// <summary>Steps of the run (null: only the time budget counts).</summary>
    public int? Steps { get; }
    /// <summary>Time budget (null: only the steps count).</summary>
    public TimeSpan? Budget { get; }

    /// <summary>Starts the clock.</summary>
    public RunClock(int? steps, TimeSpan? budget)
    {
        if (steps is < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be non-negative.");
        (Steps, Budget) = (steps, budget);
    }

    /// <summary>The fraction done after <paramref name="step"/> steps: max(step / Steps, elapsed / Budget), at most 1.</summary>
    public double Fraction(int step)
    {
        double p = 0;
        if (Steps is { } steps && steps > 0) p = Math.Max(p, step / (double)steps);
        if (Budget is { } budget) p = Math.Max(p, watch.Elapsed.TotalMinutes / budget.TotalMinutes);
        return Math.Min(1, p);
    }

    /// <summary>The progress at <paramref name="step"/>.</summary>
    public RunProgress At(int step) => new(step, Fraction(step));
}

/// <summary>The one schedule abstraction: a value (learning rate, momentum) as a function of the run's progress.
/// Step-based schedules read <see cref="RunProgress.Step"/>; budget-based ones read <see cref="RunProgress.Fraction"/>.</summary>
public abstract record Schedule
{
    /// <summary>The value at <paramref name="progress"/>.</summary>
    public abstract double At(RunProgress progress);
}

/// <summary>
/// Linear warm-up over the first <see cref="Warmup"/> of the run, from a tenth of the warm-up in, then a cosine to 0 over
/// the rest, both on the fraction of the run done (so a run cut by its time budget still ends at 0). The schedule of
/// <c>ssl-course pretrain</c> (5% warm-up); with no warm-up (0) a plain cosine from the peak (SimSiam's).
/// </summary>
public sealed record WarmupCosine : Schedule
{
    /// <summary>Peak value (after warm-up).</summary>
    public double Peak { get; }
    /// <summary>Fraction of the run spent warming up (0..1).</summary>
    public double Warmup { get; }

    /// <summary>Builds the schedule; every argument is checked.</summary>
    public WarmupCosine(double peak, double warmup = 0.05)
    {
        if (!(peak > 0) || double.IsInfinity(peak)) throw new ArgumentOutOfRangeException(nameof(peak), peak, "peak must be positive.");
        if (!(warmup >= 0 && warmup < 1)) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "warmup must be in [0, 1).");
        (Peak, Warmup) = (peak, warmup);
    }

    /// <summary>The value at the fraction <paramref name="p"/> of the run (0..1).</summary>
    public double At(double p)
    {
        double start = Warmup / 10;
        return p < Warmup ? Peak * (p + start) / (Warmup + start) : Peak * 0.5 * (1 + Math.Cos(Math.PI * (p - Warmup) / (1 - Warmup)));
    }

    /// <inheritdoc/>
    public override double At(RunProgress progress) => At(progress.Fraction);
}

/// <summary>A value that does not change over the run (SimSiam's predictor learning rate: <see cref="SimSiamRecipe"/>).</summary>
/// <param name="Value">the value at every step</param>
public sealed record ConstantSchedule(double Value) : Schedule
{
    /// <inheritdoc/>
    public override double At(RunProgress progress) => Value;
}

/// <summary>
/// A learning-rate schedule: linear warm-up from <c>base/warmup</c> to <c>base</c> over the first
/// <see cref="WarmupSteps"/> steps, then a cosine decay to <see cref="FinalLr"/> at <see cref="TotalSteps"/>
/// (SGDR, Loshchilov and Hutter, ICLR 2017, as used by SimCLR, BYOL and MoCo v2). Steps count from 0.
/// </summary>
public sealed record CosineSchedule : Schedule
{
    /// <summary>Peak learning rate (after warm-up).</summary>
    public double BaseLr { get; }
    /// <summary>Steps of the whole run.</summary>
    public int TotalSteps { get; }
    /// <summary>Steps of linear warm-up (0 for none).</summary>
    public int WarmupSteps { get; }
    /// <summary>Learning rate at the last step.</summary>
    public double FinalLr { get; }

    /// <summary>Builds the schedule; every argument is checked.</summary>
    public CosineSchedule(double baseLr, int totalSteps, int warmupSteps = 0, double finalLr = 0)
    {
        if (!(baseLr > 0) || double.IsInfinity(baseLr)) throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "baseLr must be positive.");
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be at least 1.");
        if (warmupSteps < 0 || warmupSteps > totalSteps) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"warmupSteps must be in [0, totalSteps = {totalSteps}].");
        if (!(finalLr >= 0 && finalLr <= baseLr)) throw new ArgumentOutOfRangeException(nameof(finalLr), finalLr, $"finalLr must be in [0, baseLr = {baseLr}].");
        (BaseLr, TotalSteps, WarmupSteps, FinalLr) = (baseLr, totalSteps, warmupSteps, finalLr);
    }

    /// <summary>The learning rate at <paramref name="step"/> (0-based; steps past the end keep the final rate).</summary>
    public double At(int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
        if (step < WarmupSteps) return BaseLr * (step + 1) / WarmupSteps;
        int decaySteps = TotalSteps - WarmupSteps;
        if (decaySteps <= 1) return BaseLr;
        double t = Math.Min(1.0, (step - WarmupSteps) / (double)(decaySteps - 1));
        return FinalLr + (BaseLr - FinalLr) * 0.5 * (1 + Math.Cos(Math.PI * t));
    }

    /// <inheritdoc/>
    public override double At(RunProgress progress) => At(progress.Step);
}

/// <summary>The momentum (EMA decay) schedules of the target network.</summary>
public static class MomentumSchedule
{
    /// <summary>BYOL's base momentum (Grill et al., NeurIPS 2020).</summary>
    public const double ByolBase = 0.996;

    /// <summary>MoCo's constant momentum (He et al., CVPR 2020).</summary>
    public const double MoCoMomentum = 0.999;

    /// <summary>BYOL's increase of the momentum towards 1: <c>tau_k = 1 - (1 - tau_base) (cos(pi k / K) + 1) / 2</c>.</summary>
    /// <param name="step">k, from 0</param>
    /// <param name="totalSteps">K</param>
    /// <param name="baseMomentum">tau_base in [0, 1]</param>
    public static double Cosine(int step, int totalSteps, double baseMomentum = ByolBase)
    {
        if (!(baseMomentum >= 0 && baseMomentum <= 1)) throw new ArgumentOutOfRangeException(nameof(baseMomentum), baseMomentum, "baseMomentum must be in [0, 1].");
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be at least 1.");
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
        double k = Math.Min(step, totalSteps);
        return 1 - (1 - baseMomentum) * (Math.Cos(Math.PI * k / totalSteps) + 1) / 2;
    }

    /// <summary>The same increase on the fraction <paramref name="fraction"/> of the run done (0..1, clamped).</summary>
    public static double Cosine(double fraction, double baseMomentum = ByolBase)
    {
        if (!(baseMomentum >= 0 && baseMomentum <= 1)) throw new ArgumentOutOfRangeException(nameof(baseMomentum), baseMomentum, "baseMomentum must be in [0, 1].");
        return 1 - (1 - baseMomentum) * (Math.Cos(Math.PI * Math.Clamp(fraction, 0, 1)) + 1) / 2;
    }
}
