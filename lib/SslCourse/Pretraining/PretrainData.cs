using SslCourse.Data;

namespace SslCourse.Pretraining;

/// <summary>A dataset <c>ssl-course pretrain</c> trains on, as the registry holds it.</summary>
/// <param name="Name">the name on the command line and in manifests ("toy")</param>
/// <param name="Channels">image channels</param>
/// <param name="Size">image side</param>
/// <param name="EvaluatedOnName">the dataset its checkpoints are scored on (itself, or the set it shifts from)</param>
/// <param name="Load">the first <c>count</c> training images with labels</param>
public sealed record PretrainDataset(string Name, int Channels, int Size, string EvaluatedOnName, Func<int, LabeledImages> Load)
{
    /// <summary>The first <paramref name="count"/> training images with labels (only the supervised method reads the labels).</summary>
    public LabeledImages Train(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        return Load(count);
    }

    /// <summary>The dataset its checkpoints are scored on.</summary>
    public PretrainDataset EvaluatedOn => PretrainData.Get(EvaluatedOnName);
}

/// <summary>
/// The datasets <c>ssl-course pretrain</c> trains on (one typed entry each; <see cref="Get"/> is the one place a name
/// becomes an entry), and the fixed evaluation subset every checkpoint is scored on (so a test, a notebook and the
/// manifest measure the same thing).
/// </summary>
public static class PretrainData
{
    /// <summary>The procedural colour set (<see cref="ToyObjects"/>, 3x32x32, seed 0).</summary>
    public static PretrainDataset Toy { get; } = new("toy", 3, 32, "toy", count => new ToyObjects(seed: 0, size: 32).Train(count));

    /// <summary>The <see cref="ToyVariant.DomainShift"/> variant of <see cref="Toy"/> for pre-training; evaluated on the
    /// standard set, so the figures measure transfer across the domain shift.</summary>
    public static PretrainDataset ToyShift { get; } = new("toy-shift", 3, 32, "toy",
        count => new ToyObjects(seed: 0, size: 32, variant: ToyVariant.DomainShift).Train(count));

    /// <summary>The shipped Fashion-MNIST subset (1x28x28; at most its 10,000 training images).</summary>
    public static PretrainDataset FashionMnist { get; } = new("fmnist", 1, 28, "fmnist", count =>
    {
        var all = Data.FashionMnist.Load(FashionMnistSplit.Train);
        if (count > all.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"the shipped Fashion-MNIST subset has {all.Count} training images.");
        return count == all.Count ? all : all.Take(count);
    });

    /// <summary>Every dataset.</summary>
    public static IReadOnlyList<PretrainDataset> All { get; } = [Toy, ToyShift, FashionMnist];

    /// <summary>The dataset names: "toy", "toy-shift" and "fmnist".</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToArray();

    /// <summary>The dataset called <paramref name="dataset"/>.</summary>
    /// <exception cref="ArgumentException">no such dataset; the message lists the valid names</exception>
    public static PretrainDataset Get(string dataset) =>
        All.FirstOrDefault(d => d.Name == dataset)
        ?? throw new ArgumentException($"unknown dataset '{dataset}'; expected one of: {string.Join(", ", Names)}.", nameof(dataset));

    /// <summary>The dataset a checkpoint pre-trained on <paramref name="dataset"/> is evaluated on ("toy" for both toy sets).</summary>
    public static string EvaluatedOn(string dataset) => Get(dataset).EvaluatedOnName;

    /// <summary>Images in the fixed evaluation bank (the first images of the training split; their labels vote in kNN
    /// and train the probe).</summary>
    public const int EvalBank = 2000;

    /// <summary>Images in the fixed evaluation test set (the first images of the test split).</summary>
    public const int EvalTest = 1000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bad dataset and the valid ones.</summary>
    public static string Check(string dataset) => Get(dataset).Name;

    /// <summary>Image channels of a dataset (3 for toy, 1 for fmnist).</summary>
    public static int Channels(string dataset) => Get(dataset).Channels;

    /// <summary>Image side of a dataset (32 for toy, 28 for fmnist).</summary>
    public static int Size(string dataset) => Get(dataset).Size;

    /// <summary>The pre-training set: the first <paramref name="count"/> training images with labels.</summary>
    public static LabeledImages Train(string dataset, int count) => Get(dataset).Train(count);

    /// <summary>The fixed evaluation subset: (bank = first <see cref="EvalBank"/> training images, test = first
    /// <see cref="EvalTest"/> test images).</summary>
    public static (LabeledImages Bank, LabeledImages Test) Evaluation(string dataset)
    {
        var on = Get(dataset).EvaluatedOn;
        if (on == FashionMnist)
            return (Data.FashionMnist.Load(FashionMnistSplit.Train).Take(EvalBank), Data.FashionMnist.Load(FashionMnistSplit.Test).Take(EvalTest));
        var world = new ToyObjects(seed: 0, size: 32);
        return (world.Train(EvalBank), world.Test(EvalTest));
    }
}
