using SslCourse.Augment;
using SslCourse.Models;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Pretraining;

/// <summary>
/// Every pre-training method the course teaches, by name: the registry's (<see cref="PretrainMethods"/>) and the
/// pretext tasks of notebooks 04-06, which train through <see cref="PretextTraining"/> with the recipes below.
/// </summary>
public static class CourseMethods
{
    /// <summary>All methods, in the course's order.</summary>
    public static IReadOnlyList<string> All { get; } = ["supervised", "rotation", "colorization", "context", "jigsaw", "simclr", "moco", "byol", "simsiam"];

    /// <summary>The methods outside the registry: the pretext tasks that <see cref="TrainPretext"/> runs.</summary>
    public static IReadOnlyList<string> PretextTasks { get; } = ["colorization", "context", "jigsaw"];

    /// <summary>Trains <paramref name="encoder"/> on one of <see cref="PretextTasks"/> with the course's default recipe:
    /// colorization over <see cref="AbBins.Default"/>; context pairs of 9-pixel patches (8 below 31 pixels), gap 1,
    /// jitter 1; jigsaw with 100 greedy permutations and a gap of 2.</summary>
    /// <param name="task">"colorization", "context" or "jigsaw"</param>
    /// <param name="encoder">trained in place</param>
    /// <param name="images"><c>[N, C, S, S]</c></param>
    /// <param name="options">steps, batch, seed</param>
    /// <exception cref="ArgumentException">an unknown task; the message lists the valid ones</exception>
    public static PretextRun TrainPretext(string task, ConvNet encoder, Tensor images, PretextOptions options) => task switch
    {
        "colorization" => PretextTraining.Colorization(encoder, images, AbBins.Default, options),
        "context" => PretextTraining.Context(encoder, images, new ContextPairs(patch: images.shape[2] >= 31 ? 9 : 8, gap: 1, jitter: 1), options),
        "jigsaw" => PretextTraining.Jigsaw(encoder, images, new Jigsaw(GreedyPermutations.Greedy(100), gap: 2), options),
        _ => throw new ArgumentException($"unknown pretext task '{task}'; expected one of: {string.Join(", ", PretextTasks)}.", nameof(task)),
    };
}
