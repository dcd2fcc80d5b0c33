using SslCourse.Data;

namespace SslCourse.Pretraining;

/// <summary>
/// The datasets <c>ssl-course pretrain</c> trains on, and the fixed evaluation subset every checkpoint is scored on
/// (so a test, a notebook and the manifest measure the same thing).
/// </summary>
public static class PretrainData
{
    /// <summary>The dataset names: "toy" (the procedural colour set, <see cref="ToyObjects"/>, 3x32x32, seed 0),
    /// "toy-shift" (its <see cref="ToyVariant.DomainShift"/> variant for pre-training; evaluated on the standard set, so
    /// the figures measure transfer across the domain shift) and "fmnist" (the shipped Fashion-MNIST subset, 1x28x28).</summary>
    public static IReadOnlyList<string> Names { get; } = ["toy", "toy-shift", "fmnist"];

    /// <summary>The dataset a checkpoint pre-trained on <paramref name="dataset"/> is evaluated on ("toy" for both toy sets).</summary>
    public static string EvaluatedOn(string dataset) => Check(dataset) == "fmnist" ? "fmnist" : "toy";

    /// <summary>Images in the fixed evaluation bank (the first images of the training split; their labels vote in kNN
    /// and train the probe).</summary>
    public const int EvalBank = 2000;

    /// <summary>Images in the fixed evaluation test set (the first images of the test split).</summary>
    public const int EvalTest = 1000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bad dataset and the valid ones.</summary>
    public static string Check(string dataset)
    {
        if (!Names.Contains(dataset))
            throw new ArgumentException($"unknown dataset '{dataset}'; expected one of: {string.Join(", ", Names)}.", nameof(dataset));
        return dataset;
    }

    /// <summary>Image channels of a dataset (3 for toy, 1 for fmnist).</summary>
    public static int Channels(string dataset) => Check(dataset) == "fmnist" ? 1 : 3;

    /// <summary>Image side of a dataset (32 for toy, 28 for fmnist).</summary>
    public static int Size(string dataset) => Check(dataset) == "fmnist" ? 28 : 32;

    /// <summary>The pre-training set: the first <paramref name="count"/> training images with labels (only the
    /// supervised method reads the labels). toy: any count; fmnist: at most the shipped 10,000.</summary>
    public static LabeledImages Train(string dataset, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (Check(dataset) == "toy") return new ToyObjects(seed: 0, size: 32).Train(count);
        if (dataset == "toy-shift") return new ToyObjects(seed: 0, size: 32, variant: ToyVariant.DomainShift).Train(count);
        var all = FashionMnist.Load(FashionMnistSplit.Train);
        if (count > all.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"the shipped Fashion-MNIST subset has {all.Count} training images.");
        return count == all.Count ? all : all.Take(count);
    }

    /// <summary>The fixed evaluation subset: (bank = first <see cref="EvalBank"/> training images, test = first
    /// <see cref="EvalTest"/> test images).</summary>
    public static (LabeledImages Bank, LabeledImages Test) Evaluation(string dataset)
    {
        if (EvaluatedOn(dataset) == "toy")
        {
            var world = new ToyObjects(seed: 0, size: 32);
            return (world.Train(EvalBank), world.Test(EvalTest));
        }
        return (FashionMnist.Load(FashionMnistSplit.Train).Take(EvalBank), FashionMnist.Load(FashionMnistSplit.Test).Take(EvalTest));
    }
}
