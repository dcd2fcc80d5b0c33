using System.Diagnostics;
using System.Globalization;
using SslCourse.Data;
using SslCourse.Evaluation;
using SslCourse.Models;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Pretraining;

/// <summary>A pre-training run: method, data, budget and optimiser settings. <see cref="TrainingOptions.Steps"/> is a
/// step limit (the schedule then follows steps), 0 (the default) for the time budget alone;
/// <see cref="TrainingOptions.BatchSize"/> 128 images per batch (each seen in one or two views); Adam's peak
/// <see cref="TrainingOptions.LearningRate"/> 2e-3 (5% linear warm-up, then cosine to 0);
/// <see cref="TrainingOptions.Seed"/> seeds the initialisation, the order and the augmentations.</summary>
public sealed record PretrainOptions : TrainingOptions
{
    /// <summary>The defaults of <c>ssl-course pretrain</c>.</summary>
    public PretrainOptions() { BatchSize = 128; LearningRate = 2e-3; }

    /// <summary>A name of <see cref="PretrainMethods"/>.</summary>
    public required string Method { get; init; }
    /// <summary>"toy" or "fmnist" (<see cref="PretrainData"/>).</summary>
    public string Dataset { get; init; } = "toy";
    /// <summary>Wall-clock budget in minutes (the learning rate's cosine follows elapsed time, so the run always ends
    /// its schedule); null when <see cref="TrainingOptions.Steps"/> alone bounds the run.</summary>
    public double? Minutes { get; init; } = 5;
    /// <summary>Pre-training images (the first ones of the training split).</summary>
    public int Images { get; init; } = 10000;
    /// <summary>Adam's weight decay in the shared recipe.</summary>
    public double WeightDecay { get; init; } = 1e-6;
    /// <summary>True: a method with its own recipe from its paper trains with it (<see cref="PretrainModel.Recipe"/>:
    /// SimSiam's SGD), ignoring <see cref="TrainingOptions.LearningRate"/> and <see cref="WeightDecay"/>; false: every method trains
    /// with the shared Adam recipe.</summary>
    public bool MethodRecipe { get; init; } = true;
    /// <summary>The encoder's width multiplier (<see cref="ConvNet"/>).</summary>
    public double Width { get; init; } = 1.0;
    /// <summary>The number format and layout of the training step (<see cref="StepFormat"/>); the encoder is saved and
    /// evaluated in fp32 whatever it is.</summary>
    public StepFormat Format { get; init; } = StepFormat.Fp32;
    /// <summary>How strong the views of a two-view method are (<see cref="PretrainMethods.TwoView"/>); the other
    /// methods accept only the default.</summary>
    public ViewStrength Views { get; init; } = ViewStrength.Default;
    /// <summary>The command line that started the run (recorded in the manifest).</summary>
    public string Command { get; init; } = "";
}

/// <summary>The outcome of a run: the trained encoder, its manifest and the loss history (whose
/// <see cref="TrainHistory.Final"/> holds the manifest's metrics).</summary>
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
        o.ValidateCore(minBatch: 2);
        int? stepLimit = o.Steps > 0 ? o.Steps : null;
        if (o.Minutes is null && stepLimit is null) throw new ArgumentException("give a time budget (Minutes) or a step limit (Steps).", nameof(o));
        if (o.Minutes is { } m && !(m > 0)) throw new ArgumentOutOfRangeException(nameof(o), m, "Minutes must be positive.");
        if (o.Seed is < int.MinValue or > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(o), o.Seed, "Seed must fit in an int (it is recorded in the checkpoint's manifest).");
        int seed = (int)o.Seed;
        if (o.Schedule is not null) throw new ArgumentException("PretrainOptions.Schedule: pre-training follows its recipe's schedule (warm-up and cosine), which the options cannot replace.", nameof(o));
        PretrainMethods.CheckViews(method, o.Views, nameof(o));

        int channels = PretrainData.Channels(o.Dataset);
        var train = PretrainData.Train(o.Dataset, o.Images);
        if (o.BatchSize > train.Count) throw new ArgumentOutOfRangeException(nameof(o), o.BatchSize, $"BatchSize exceeds the {train.Count} training images.");
        var setup = PretrainSetup.For(o.Dataset, channels, o.Width, train.NumClasses, seed) with { Images = train.Images, Strength = o.Views };
        // The models are built here (their initial weights come from the seed); the caller's generator is left as it was.
        var (built, recipe, loader) = SeededInit.Build(seed, () => Prepare(method, setup, train, o.BatchSize, o.LearningRate, o.WeightDecay, seed, o.MethodRecipe));
        using var batches = loader.Forever().GetEnumerator();
        // bf16: a second instance computes the step in bf16; the optimizer keeps the fp32 master (built).
        var work = o.Format.IsBf16() ? SeededInit.Build(seed, () => method.Build(setup)) : built;
        var copy = o.Format.IsBf16() ? new Bf16WorkingCopy(built.Model, work.Model) : null;
        work.Model.train();

        var watch = Stopwatch.StartNew();
        var budget = o.Minutes is { } mm ? TimeSpan.FromMinutes(mm) : (TimeSpan?)null;
        var clock = new RunClock(stepLimit, budget);
        var history = Trainer.Run(o.Loop($"{method.Name} on {o.Dataset}", stepLimit ?? int.MaxValue) with
        {
            TimeBudget = budget,
            Clock = clock,
            GroupSchedules = recipe.GroupSchedules,
            StepsPerEpoch = train.Count / (double)o.BatchSize,
            AfterBackward = copy is null ? null : copy.Push,
        }, recipe.Optimizer, step =>
        {
            batches.MoveNext();
            copy?.Pull();
            var b = batches.Current;
            return work.Loss(StepFormats.Prepare(b, o.Format));   // fp32: the views as they are
        }, afterStep: step => built.AfterStep?.Invoke(clock.Fraction(step + 1)));
        double minutesUsed = watch.Elapsed.TotalMinutes;
        copy?.Finish();
        if (copy is not null) work.Model.Dispose();

        var metrics = Evaluate(built.Encoder, PretrainData.EvaluatedOn(o.Dataset), PretrainedEncoder.Input(built.Config));
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
            ["max_steps"] = stepLimit?.ToString(inv) ?? "",
            ["threads"] = get_num_threads().ToString(inv),
            ["step_format"] = StepFormats.Name(o.Format),
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
            Seed = seed,
            Budget = string.Create(inv, $"{minutesUsed:0.00} min wall ({get_num_threads()} thread(s)), {history.CompletedSteps} steps of {o.BatchSize}{(o.Format == StepFormat.Fp32 ? "" : $" in {StepFormats.Name(o.Format)}")}, {epochs:0.00} epochs, {seen} images seen"),
            Metrics = metrics,
        };
        foreach (var (k, v) in metrics) history.Final[k] = v;
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
    /// <param name="encoder">the encoder to score</param>
    /// <param name="dataset">a dataset of <see cref="PretrainData"/> (scored on the set it is evaluated on)</param>
    /// <param name="input">what the encoder sees of an image (<see cref="PretrainedEncoder.Input"/>); null: the image</param>
    public static Dictionary<string, double> Evaluate(nn.Module<Tensor, Tensor> encoder, string dataset, Func<Tensor, Tensor>? input = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var (bank, test) = PretrainData.Evaluation(PretrainData.EvaluatedOn(dataset));
        using var scope = NewDisposeScope();
        input ??= x => x;
        var fb = FeatureExtractor.Extract(encoder, input(bank.Images));
        var ft = FeatureExtractor.Extract(encoder, input(test.Images));
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
    /// <param name="encoder">the encoder to score</param>
    /// <param name="dataset">a dataset of <see cref="PretrainData"/></param>
    /// <param name="input">what the encoder sees of an image (<see cref="PretrainedEncoder.Input"/>); null: the image</param>
    public static double KnnAccuracy(nn.Module<Tensor, Tensor> encoder, string dataset, Func<Tensor, Tensor>? input = null)
    {
        var (bank, test) = PretrainData.Evaluation(PretrainData.EvaluatedOn(dataset));
        if (input is null) return Monitors.KnnAccuracy(encoder, bank, test, KnnK);
        using var scope = NewDisposeScope();
        return Monitors.KnnAccuracy(encoder, new LabeledImages(input(bank.Images), bank.Labels, bank.ClassNames),
            new LabeledImages(input(test.Images), test.Labels, test.ClassNames), KnnK);
    }
}
