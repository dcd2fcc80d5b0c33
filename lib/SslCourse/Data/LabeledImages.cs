using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// A labelled image set held in memory: images [N, C, H, W] float32 in 0..1, labels [N] int64, and the class names.
/// Every loader of the course returns one (Fashion-MNIST, IDX, CIFAR, image folders, the procedural sets).
/// Dispose it to free the tensors.
/// </summary>
public sealed record LabeledImages(Tensor Images, Tensor Labels, IReadOnlyList<string> ClassNames) : IDisposable
{
    /// <summary>Number of images N.</summary>
    public int Count => (int)Images.shape[0];
    /// <summary>Channels C (1 or 3).</summary>
    public int Channels => (int)Images.shape[1];
    /// <summary>Number of classes.</summary>
    public int NumClasses => ClassNames.Count;

    /// <summary>The images and labels at <paramref name="indices"/> ([K] int64), as a new set.</summary>
    public LabeledImages Select(Tensor indices)
    {
        using var idx = indices.to_type(ScalarType.Int64);
        return new LabeledImages(Images.index_select(0, idx), Labels.index_select(0, idx), ClassNames);
    }

    /// <summary>The first <paramref name="count"/> images (a copy).</summary>
    public LabeledImages Take(int count)
    {
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must lie in 0..{Count}.");
        return new LabeledImages(Images[..count].clone(), Labels[..count].clone(), ClassNames);
    }

    /// <summary>Images per class, in class order.</summary>
    public long[] ClassCounts()
    {
        using var counts = bincount(Labels, minlength: NumClasses);
        return counts.data<long>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Count} images [{string.Join(", ", Images.shape.Skip(1))}], {NumClasses} classes";
}
