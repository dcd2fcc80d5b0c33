using System.Diagnostics;
using System.Globalization;
using SslCourse.Data;
using SslCourse.Evaluation;
using SslCourse.Models;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Pretraining;

/// <summary>A pre-training run: method, data, budget and optimiser settings.</summary>
public sealed record PretrainOptions
{
    /// <summary>A name of <see cref="PretrainMethods"/>.</summary>
    public required string Method { get; init; }
    /// <summary>"toy" or "fmnist" (<see cref="PretrainData"/>).</summary>
    public string Dataset { get; init; } = "toy";
    /// <summary>Wall-clock budget in minutes (the learning rate's cosine follows elapsed time, so the run always ends
    /// its schedule); null when <see cref="Steps"/> alone bounds the run.</summary>
    public double? Minutes { get; init; } = 5;
    /// <summary>A step limit (the schedule then follows steps); null: the time budget alone.</summary>
    public int? Steps { get; init; }
    /// <summary>Seed of the initialisation, the order and the augmentations.</summary>
    public int Seed { get; init; }
    /// <summary>Pre-training images (the first ones of the training split).</summary>
    public int Images { get; init; } = 10000;
    /// <summary>Images per batch (each seen in one or two views).</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's peak learning rate (5% linear warm-up, then cosine to 0) in the shared recipe.</summary>
    public double LearningRate { get; init; } = 2e-3;
    /// <summary>Adam's weight decay in the shared recipe.</summary>
    public double WeightDecay { get; init; } = 1e-6;
    /// <summary>True: a method with its own recipe from its paper trains with it (<see cref="PretrainModel.Recipe"/>:
    /// SimSiam's SGD), ignoring <see cref="LearningRate"/> and <see cref="WeightDecay"/>; false: every method trains
    /// with the shared Adam recipe.</summary>
    public bool MethodRecipe { get; init; } = true;
    /// <summary>The encoder's width multiplier (<see cref="ConvNet"/>).</summary>
    public double Width { get; init; } = 1.0;
    /// <summary>Show live progress.</summary>
    public bool ShowProgress { get; init; } = true;
    /// <summary>The command line that started the run (recorded in the manifest).</summary>
    public string Command { get; init; } = "";
}

/// <summary>The outcome of a run: the trained encoder, its manifest and the loss history.</summary>
public sealed record PretrainResult(ConvNet Encoder, CheckpointInfo Info, TrainHistory History);

/// <summary>
/// Trains an encoder with one method of <see cref="PretrainMethods"/> through the course's <see cref="Trainer"/>,
/// scores it on the fixed evaluation subset (<see cref="Evaluate"/>) and saves it as a checkpoint
/// (<see cref="Checkpoint"/>: weights and JSON manifest, each written to a temporary file and moved into place).
/// </summary>
public static class Pretrainer
{
    /// <summary>kNN neighbours of the recorded accuracy.</summary>
    public const int KnnK = 20;

    /// <summary>Runs the pre-training and measures the result (does not save; see <see cref="Save"/>).</summary>
    public static PretrainResult Run(PretrainOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var method = PretrainMethods.Get(o.Method);
        PretrainData.Check(o.Dataset);
        if (o.Minutes is null && o.Steps is null) throw new ArgumentException("give a time budget (Minutes) or a step limit (Steps).", nameof(o));
        if (o.Minutes is { } m && !(m > 0)) throw new ArgumentOutOfRangeException(nameof(o), m, "Minutes must be positive.");
        if (o.Steps is { } s && s < 1) throw new ArgumentOutOfRangeException(nameof(o), s, "Steps must be at least 1.");
        if (o.BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(o), o.BatchSize, "BatchSize must be at least 2.");
        if (!(o.LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(o), o.LearningRate, "LearningRate must be positive.");

        Course.Reseed(o.Seed);
        int channels = PretrainData.Channels(o.Dataset);
        var train = PretrainData.Train(o.Dataset, o.Images);
        if (o.BatchSize > train.Count) throw new ArgumentOutOfRangeException(nameof(o), o.BatchSize, $"BatchSize exceeds the {train.Count} training images.");
        var setup = PretrainSetup.For(o.Dataset, channels, o.Width, train.NumClasses, o.Seed);
        var (built, recipe, loader) = Prepare(method, setup, train, o.BatchSize, o.LearningRate, o.WeightDecay, o.Seed, o.MethodRecipe);
        using var batches = loader.Forever().GetEnumerator();

        var watch = Stopwatch.StartNew();
        var budget = o.Minutes is { } mm ? TimeSpan.FromMinutes(mm) : (TimeSpan?)null;
        var clock = new RunClock(o.Steps, budget);
        var history = Trainer.Run(new TrainOptions
        {
            Steps = o.Steps ?? int.MaxValue,
            TimeBudget = budget,
            Clock = clock,
            GroupSchedules = recipe.GroupSchedules,
            Title = $"{method.Name} on {o.Dataset}",
            ShowProgress = o.ShowProgress,
        }, recipe.Optimizer, step =>
        {
            batches.MoveNext();
            return built.Loss(batches.Current);
        }, afterStep: step => built.AfterStep?.Invoke(clock.Fraction(step + 1)));
        double minutesUsed = watch.Elapsed.TotalMinutes;

        var metrics = Evaluate(built.Encoder, PretrainData.EvaluatedOn(o.Dataset));
        long seen = (long)history.CompletedSteps * o.BatchSize;
        double epochs = seen / (double)train.Count;
        metrics["minutes"] = Math.Round(minutesUsed, 3);
        metrics["steps"] = history.CompletedSteps;
        metrics["epochs"] = Math.Round(epochs, 3);
        metrics["images_seen"] = seen;
        metrics["final_loss"] = Math.Round(history.RecentLoss(20), 5);

        var inv = CultureInfo.InvariantCulture;
        var config = new Dictionary<string, string>(built.Config)
        {
            ["dataset"] = o.Dataset,
            ["in_channels"] = channels.ToString(inv),
            ["image_size"] = PretrainData.Size(o.Dataset).ToString(inv),
            ["width"] = o.Width.ToString(inv),
            ["batch_size"] = o.BatchSize.ToString(inv),
            ["optimizer"] = recipe.Description,
            ["budget_minutes"] = o.Minutes?.ToString(inv) ?? "",
            ["max_steps"] = o.Steps?.ToString(inv) ?? "",
            ["threads"] = get_num_threads().ToString(inv),
            ["evaluation"] = EvaluationDescription(PretrainData.EvaluatedOn(o.Dataset)),
            ["command"] = o.Command,
        };
        var info = new CheckpointInfo
        {
            Method = method.Name,
            Architecture = $"ConvNet(in={channels}, width={o.Width.ToString(inv)})",
            Config = config,
            Data = o.Dataset switch
            {
                "toy" => $"toy: ToyObjects(seed 0, 32x32, standard) training images 0..{train.Count - 1}",
                "toy-shift" => $"toy-shift: ToyObjects(seed 0, 32x32, DomainShift) training images 0..{train.Count - 1}; evaluated on the standard toy set",
                _ => $"fmnist: the shipped Fashion-MNIST subset, training images 0..{train.Count - 1}",
            },
            Seed = o.Seed,
            Budget = string.Create(inv, $"{minutesUsed:0.00} min wall ({get_num_threads()} thread(s)), {history.CompletedSteps} steps of {o.BatchSize}, {epochs:0.00} epochs, {seen} images seen"),
            Metrics = metrics,
        };
        return new PretrainResult(built.Encoder, info, history);
    }

    /// <summary>A method built and ready to train: its model in training mode, its optimisation recipe (the method's own
    /// when <paramref name="methodRecipe"/> and it has one, else Adam at <paramref name="learningRate"/> with
    /// <paramref name="weightDecay"/>) and a seeded loader of its views over <paramref name="train"/> (what <see cref="Run"/>
    /// and the bench's MethodSpeed share).</summary>
    public static (PretrainModel Built, OptimizerRecipe Recipe, DataLoader Loader) Prepare(PretrainMethod method, PretrainSetup setup,
        LabeledImages train, int batchSize, double learningRate, double weightDecay, int seed, bool methodRecipe = true)
    {
        var built = method.Build(setup);
        built.Model.train();
        var recipe = methodRecipe && built.Recipe is { } own ? own(batchSize) : OptimizerRecipe.Adam(built.Parameters, learningRate, weightDecay);
        var loader = new DataLoader(train, batchSize, seed: seed, dropLast: true, views: built.Views);
        return (built, recipe, loader);
    }

    /// <summary>Saves the encoder of a run to <paramref name="path"/> (+ ".json"), atomically.</summary>
    public static CheckpointInfo Save(PretrainResult result, string path) => Checkpoint.Save(result.Encoder, path, result.Info);

    /// <summary>The fixed evaluation, in words.</summary>
    public static string EvaluationDescription(string dataset) =>
        $"{PretrainData.Check(dataset)}: bank = first {PretrainData.EvalBank} training images, test = first {PretrainData.EvalTest} test images; " +
        $"knn: weighted kNN (k {KnnK}, T {Knn.DefaultTemperature}); probe: linear probe on all bank labels; probe10: linear probe on 10 labels per class, mean of 3 draws; std: std of the L2-normalised bank features (0 = collapsed)";

    /// <summary>Scores an encoder on the fixed evaluation subset of <paramref name="dataset"/>:
    /// "knn" (kNN accuracy, k = 20), "probe" (linear probe on all bank labels) and "probe10" (10 labels per class,
    /// mean of 3 draws), each in 0..1, and "std", the collapse measure of the bank's features
    /// (<see cref="CollapseMetrics.NormalisedStd"/>: 0 when every image maps to one direction).</summary>
    public static Dictionary<string, double> Evaluate(nn.Module<Tensor, Tensor> encoder, string dataset)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var (bank, test) = PretrainData.Evaluation(PretrainData.EvaluatedOn(dataset));
        using var scope = NewDisposeScope();
        var fb = FeatureExtractor.Extract(encoder, bank.Images);
        var ft = FeatureExtractor.Extract(encoder, test.Images);
        int classes = bank.NumClasses;
        double knn = Knn.Accuracy(fb, bank.Labels, ft, test.Labels, classes, KnnK);
        var probeOptions = new LinearProbeOptions { Seed = 0 };
        double probe = LinearProbe.Evaluate(fb, bank.Labels, ft, test.Labels, classes, probeOptions).TestAccuracy;
        var few = new List<double>();
        for (int draw = 0; draw < 3; draw++)
        {
            var (labelled, _) = LabelSplit.Split(bank.Labels, 10, Course.Generator(100 + draw));
            few.Add(LinearProbe.Evaluate(fb.index_select(0, labelled), bank.Labels.index_select(0, labelled), ft, test.Labels, classes, probeOptions).TestAccuracy);
        }
        return new Dictionary<string, double> { ["knn"] = knn, ["probe"] = probe, ["probe10"] = few.Average(), ["std"] = CollapseMetrics.NormalisedStd(fb) };
    }

    /// <summary>kNN accuracy (k = 20) on the fixed evaluation subset: the figure a checkpoint's manifest records as "knn".</summary>
    public static double KnnAccuracy(nn.Module<Tensor, Tensor> encoder, string dataset)
    {
        var (bank, test) = PretrainData.Evaluation(PretrainData.EvaluatedOn(dataset));
        return Monitors.KnnAccuracy(encoder, bank, test, KnnK);
    }
}
