namespace SslCourse.Training;

/// <summary>
/// What every trainer of the course is told: how long, how big a batch, how fast, which seed, and whether to show
/// progress. The options of each trainer (<see cref="PretextOptions"/>, <c>FineTuneOptions</c>, <c>LinearProbeOptions</c>,
/// <c>SelfTrainingOptions</c>, <c>ConsistencyOptions</c>, <c>PretrainOptions</c>) inherit it and add only what is
/// their own; each sets its own defaults. Every trainer runs on <see cref="Trainer.Run"/>, whose
/// <see cref="TrainOptions"/> <see cref="Loop"/> builds, and returns (or carries as <c>History</c>) a
/// <see cref="TrainHistory"/>.
/// </summary>
public abstract record TrainingOptions
{
    /// <summary>Optimizer steps. Where another bound ends the run (the probe's epochs, the pre-training's time budget),
    /// 0 means no step limit; the trainer's options say which.</summary>
    public int Steps { get; init; }
    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; }
    /// <summary>The (peak) learning rate of the optimizer the trainer builds.</summary>
    public double LearningRate { get; init; }
    /// <summary>Seed of everything random the trainer draws (batches, augmentations, initialisation of what it builds).</summary>
    public long Seed { get; init; }
    /// <summary>The learning rate over the run (e.g. <see cref="CosineSchedule"/>); null keeps
    /// <see cref="LearningRate"/> constant. Pre-training rejects it: its recipe has its own schedule.</summary>
    public Schedule? Schedule { get; init; }
    /// <summary>Show the live progress display.</summary>
    public bool ShowProgress { get; init; } = true;
    /// <summary>Title of the progress display (null: the trainer's name).</summary>
    public string? Title { get; init; }

    /// <summary>The loop's options for a run of <paramref name="steps"/> steps titled <see cref="Title"/> or
    /// <paramref name="title"/>, with <see cref="Schedule"/>; the caller adds its monitor period or stop rule with <c>with</c>.</summary>
    public TrainOptions Loop(string title, int steps) => new() { Steps = steps, Title = Title ?? title, ShowProgress = ShowProgress, Schedule = Schedule };

    /// <summary>Throws, naming the option, when <see cref="BatchSize"/> is below <paramref name="minBatch"/>,
    /// <see cref="Steps"/> below <paramref name="minSteps"/> or <see cref="LearningRate"/> is not positive.</summary>
    internal void ValidateCore(int minSteps = 0, int minBatch = 1)
    {
        string name = GetType().Name;
        if (Steps < minSteps) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"{name}.Steps must be at least {minSteps}.");
        if (BatchSize < minBatch) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{name}.BatchSize must be at least {minBatch}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"{name}.LearningRate must be positive.");
    }
}
