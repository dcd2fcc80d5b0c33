using SslCourse.Augment;
using SslCourse.Models;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Pretraining;

/// <summary>Trains <paramref name="encoder"/> in place on a pretext task at the shared budget of
/// <see cref="PretextTraining"/>.</summary>
/// <param name="encoder">trained in place</param>
/// <param name="images"><c>[N, C, S, S]</c> unlabelled training images</param>
/// <param name="options">steps, batch, seed</param>
public delegate PretextRun PretextTrainer(ConvNet encoder, Tensor images, PretextOptions options);

/// <summary>One method the course teaches, as the registry holds it: its name (the command line's and the notebooks'),
/// a summary, and how each of the course's two pre-training drivers trains it.</summary>
/// <param name="Name">the name on the command line and in the notebooks ("simclr")</param>
/// <param name="Summary">one line: the paper and the recipe</param>
public sealed record CourseMethod(string Name, string Summary)
{
    /// <summary>How <see cref="Pretrainer"/> (<c>ssl-course pretrain</c>) builds it.</summary>
    public required PretrainMethod Pretrain { get; init; }
    /// <summary>How <see cref="PretextTraining"/> trains it on unlabelled images at the shared budget of notebooks 04-07;
    /// null for the methods it does not drive (supervised needs labels; the two-view methods train through
    /// <see cref="Pretrain"/>).</summary>
    public PretextTrainer? Pretext { get; init; }
}

/// <summary>
/// Every pre-training method the course teaches, one typed entry each (<see cref="CourseMethod"/>), in the course's
/// order. Names are strings only at the boundary: <see cref="Get"/> is the one place a name becomes an entry.
/// </summary>
public static class CourseMethods
{
    static PretrainMethod Registry(string name) => PretrainMethods.Get(name);

    static CourseMethod FromRegistry(string name, PretextTrainer? pretext = null) =>
        new(name, Registry(name).Summary) { Pretrain = Registry(name), Pretext = pretext };

    /// <summary>Supervised pre-training, the reference row.</summary>
    public static CourseMethod Supervised { get; } = FromRegistry("supervised");
    /// <summary>RotNet: 4-way rotation prediction.</summary>
    public static CourseMethod Rotation { get; } = FromRegistry("rotation", PretextTraining.Rotation);
    /// <summary>Colorization over <see cref="AbBins.Default"/> (Zhang, Isola and Efros, ECCV 2016).</summary>
    public static CourseMethod Colorization { get; } = FromRegistry("colorization",
        (encoder, images, options) => PretextTraining.Colorization(encoder, images, AbBins.Default, options));
    /// <summary>Context prediction with 9-pixel patches (8 below 31 pixels), gap 1, jitter 1 (Doersch, Gupta and Efros, ICCV 2015).</summary>
    public static CourseMethod Context { get; } = FromRegistry("context", (encoder, images, options) =>
        PretextTraining.Context(encoder, images, new ContextPairs(patch: images.shape[2] >= 31 ? 9 : 8, gap: 1, jitter: 1), options));
    /// <summary>The jigsaw puzzle with 100 greedy permutations and a gap of 2 (Noroozi and Favaro, ECCV 2016).</summary>
    public static CourseMethod Jigsaw { get; } = FromRegistry("jigsaw", (encoder, images, options) =>
        PretextTraining.Jigsaw(encoder, images, new Jigsaw(GreedyPermutations.Greedy(100), gap: 2), options));
    /// <summary>SimCLR.</summary>
    public static CourseMethod SimClr { get; } = FromRegistry("simclr");
    /// <summary>MoCo v2.</summary>
    public static CourseMethod MoCo { get; } = FromRegistry("moco");
    /// <summary>BYOL.</summary>
    public static CourseMethod Byol { get; } = FromRegistry("byol");
    /// <summary>SimSiam.</summary>
    public static CourseMethod SimSiam { get; } = FromRegistry("simsiam");

    /// <summary>Every method, in the course's order.</summary>
    public static IReadOnlyList<CourseMethod> Methods { get; } = [Supervised, Rotation, Colorization, Context, Jigsaw, SimClr, MoCo, Byol, SimSiam];

    /// <summary>All method names, in the course's order.</summary>
    public static IReadOnlyList<string> All { get; } = Methods.Select(m => m.Name).ToArray();

    /// <summary>The hand-made pretext tasks of notebooks 04-06 that <see cref="TrainPretext"/> trains at the shared
    /// pretext budget (rotation and supervised have their own <see cref="PretextTraining"/> entry points).</summary>
    public static IReadOnlyList<string> PretextTasks { get; } = [Colorization.Name, Context.Name, Jigsaw.Name];

    /// <summary>The method called <paramref name="name"/>: the one place a name becomes an entry.</summary>
    /// <exception cref="ArgumentException">no such method; the message lists the valid names</exception>
    public static CourseMethod Get(string name) =>
        Methods.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"unknown method '{name}'; expected one of: {string.Join(", ", All)}.", nameof(name));

    /// <summary>Trains <paramref name="encoder"/> on one of <see cref="PretextTasks"/> with the course's default recipe
    /// (<see cref="Colorization"/>, <see cref="Context"/>, <see cref="Jigsaw"/>).</summary>
    /// <param name="task">"colorization", "context" or "jigsaw"</param>
    /// <param name="encoder">trained in place</param>
    /// <param name="images"><c>[N, C, S, S]</c></param>
    /// <param name="options">steps, batch, seed</param>
    /// <exception cref="ArgumentException">an unknown task; the message lists the valid ones</exception>
    public static PretextRun TrainPretext(string task, ConvNet encoder, Tensor images, PretextOptions options) =>
        (PretextTasks.Contains(task) ? Get(task).Pretext : null)?.Invoke(encoder, images, options)
        ?? throw new ArgumentException($"unknown pretext task '{task}'; expected one of: {string.Join(", ", PretextTasks)}.", nameof(task));
}
