namespace SslCourse.Data;

/// <summary>The split of an MNIST-style dataset.</summary>
public enum FashionMnistSplit { Train, Test }

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, arXiv 2017): 28x28 grayscale clothing images, 10 classes. The course ships
/// a class-balanced subset (10,000 training, 2,000 test images) in <c>data/fashion-mnist/</c>; see data/PROVENANCE.md.
/// </summary>
public static class FashionMnist
{
    /// <summary>The ten class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The shipped subset: images [N, 1, 28, 28] float32 in 0..1, labels [N] int64 (N = 10,000 or 2,000).</summary>
    public static LabeledImages Load(FashionMnistSplit split = FashionMnistSplit.Train) =>
        LoadFolder(Path.Combine(Course.DataDir, "fashion-mnist"), split);

    /// <summary>Loads a folder of MNIST-style IDX files (<c>train-images-idx3-ubyte[.gz]</c>, <c>train-labels-idx1-ubyte[.gz]</c>,
    /// <c>t10k-...</c>): the shipped subset, a full Fashion-MNIST download, or MNIST (then pass its class names).</summary>
    public static LabeledImages LoadFolder(string folder, FashionMnistSplit split, IReadOnlyList<string>? classNames = null)
    {
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        var images = Idx.ReadImages(Find(folder, $"{prefix}-images-idx3-ubyte"));
        var labels = Idx.ReadLabels(Find(folder, $"{prefix}-labels-idx1-ubyte"));
        if (images.shape[0] != labels.shape[0])
            throw new DataFormatException(folder, $"{images.shape[0]} images but {labels.shape[0]} labels in the {prefix} files.");
        return new LabeledImages(images, labels, classNames ?? ClassNames);
    }

    static string Find(string folder, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx") + ".gz", stem.Replace("-idx", ".idx") })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{stem}(.gz) not found in {folder}.", Path.Combine(folder, stem + ".gz"));
    }
}
