namespace SslCourse.Training;

/// <summary>What a running loop tells whoever watches it: the step and the metrics so far. The notebook's live display
/// (<c>Display.LiveProgress</c>) is one adapter; a test or a log can be another.</summary>
public interface ITrainingProgress : IDisposable
{
    /// <summary>Step <paramref name="step"/> (1-based) is done; <paramref name="metrics"/> are the latest values.</summary>
    void Report(int step, IReadOnlyDictionary<string, double>? metrics = null);
}

/// <summary>
/// Where progress goes when a loop shows it (<see cref="TrainOptions.ShowProgress"/>). Training code only knows the
/// interface; <see cref="Course.Init"/> points <see cref="Start"/> at the live display of <c>Display/</c>, so the
/// training code does not depend on the notebook kernel. Until then (or when set to null) nothing is shown.
/// </summary>
public static class TrainingProgress
{
    /// <summary>Starts a display for a loop titled <c>title</c> of <c>totalSteps</c> steps (0 when unknown).</summary>
    public static Func<string, int, ITrainingProgress>? Start { get; set; }

    /// <summary>A display from <see cref="Start"/>, or one that shows nothing.</summary>
    public static ITrainingProgress Open(string title, int totalSteps) => Start?.Invoke(title, totalSteps) ?? Silent.Instance;

    sealed class Silent : ITrainingProgress
    {
        public static readonly Silent Instance = new();
        public void Report(int step, IReadOnlyDictionary<string, double>? metrics = null) { }
        public void Dispose() { }
    }
}
