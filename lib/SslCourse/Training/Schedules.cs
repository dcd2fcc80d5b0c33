namespace SslCourse.Training;

/// <summary>
/// A learning-rate schedule: linear warm-up from <c>base/warmup</c> to <c>base</c> over the first
/// <see cref="WarmupSteps"/> steps, then a cosine decay to <see cref="FinalLr"/> at <see cref="TotalSteps"/>
/// (SGDR, Loshchilov and Hutter, ICLR 2017, as used by SimCLR, BYOL and MoCo v2). Steps count from 0.
/// </summary>
public sealed record CosineSchedule
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
}
