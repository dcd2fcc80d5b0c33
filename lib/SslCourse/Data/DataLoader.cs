using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>One mini-batch: images [B, C, H, W], labels [B] int64, and the dataset indices [B] int64 it came from.
/// Views holds the augmented views ([B, C, H', W'] each) when the loader has view transforms, else it is empty.
/// Dispose it (or let the surrounding dispose scope do it).</summary>
public sealed record Batch(Tensor Images, Tensor Labels, Tensor Indices, IReadOnlyList<Tensor> Views) : IDisposable
{
    /// <summary>Batch size B.</summary>
    public int Count => (int)Images.shape[0];
    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose(); Labels.Dispose(); Indices.Dispose();
        foreach (var v in Views) v.Dispose();
    }
}

/// <summary>
/// A seeded shuffling mini-batch loader over tensors in memory. Each epoch draws a new permutation from its own
/// generator, so two loaders with the same seed yield the same batches. With view transforms it also returns two
/// or more augmented views of every image (the multi-view batches of SimCLR, BYOL and friends); each transform draws
/// its random parameters per image from the loader's augmentation generator.
/// </summary>
/// <example><code>
/// var loader = new DataLoader(train.Images, train.Labels, batchSize: 256, seed: 0,
///     views: Augment.ViewRecipes.SimClr(32).Twice());
/// foreach (var batch in loader.Epoch()) { var (v1, v2) = (batch.Views[0], batch.Views[1]); ... }
/// </code></example>
public sealed class DataLoader
{
    readonly Tensor _images, _labels;
    readonly Generator _order, _augment;
    readonly IReadOnlyList<Func<Tensor, Generator, Tensor>> _views;

    /// <summary>Batch size.</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }
    /// <summary>Whether a last batch smaller than <see cref="BatchSize"/> is dropped.</summary>
    public bool DropLast { get; }

    /// <param name="images">[N, C, H, W] (kept by reference, not copied).</param>
    /// <param name="labels">[N] int64.</param>
    /// <param name="batchSize">Images per batch, at least 1.</param>
    /// <param name="seed">Seeds the order and the augmentations.</param>
    /// <param name="shuffle">Draw a new order every epoch (default) or keep the dataset order.</param>
    /// <param name="dropLast">Drop the last, smaller batch.</param>
    /// <param name="views">Transforms applied to every batch, one view each (e.g. two SimCLR views); none for plain batches.</param>
    public DataLoader(Tensor images, Tensor labels, int batchSize, long seed = 0, bool shuffle = true, bool dropLast = false,
        IReadOnlyList<Func<Tensor, Generator, Tensor>>? views = null)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"images has {images.shape[0]} rows but labels has {labels.shape[0]}.", nameof(labels));
        _images = images; _labels = labels;
        BatchSize = batchSize; Shuffle = shuffle; DropLast = dropLast;
        _order = new Generator((ulong)seed);
        _augment = new Generator((ulong)seed ^ 0x5DEECE66DUL);
        _views = views ?? [];
    }

    /// <summary>A loader over a <see cref="LabeledImages"/> set.</summary>
    public DataLoader(LabeledImages set, int batchSize, long seed = 0, bool shuffle = true, bool dropLast = false,
        IReadOnlyList<Func<Tensor, Generator, Tensor>>? views = null)
        : this(set.Images, set.Labels, batchSize, seed, shuffle, dropLast, views) { }

    /// <summary>Number of images N.</summary>
    public int Count => (int)_images.shape[0];

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>One pass over the data in a fresh order. Tensors of a batch belong to the caller's dispose scope.</summary>
    public IEnumerable<Batch> Epoch()
    {
        // detached: the first batch is often drawn inside a training step's dispose scope, which must not take the order with it
        var order = (Shuffle ? randperm(Count, generator: _order) : arange(Count, dtype: ScalarType.Int64)).DetachFromDisposeScope();
        try
        {
            for (int b = 0; b < BatchesPerEpoch; b++)
            {
                int start = b * BatchSize, end = Math.Min(Count, start + BatchSize);
                var idx = order[start..end].clone();
                var x = _images.index_select(0, idx);
                var y = _labels.index_select(0, idx);
                var views = _views.Select(v => v(x, _augment)).ToArray();
                yield return new Batch(x, y, idx, views);
            }
        }
        finally { order.Dispose(); }
    }

    /// <summary>Endless batches over as many epochs as needed, e.g. <c>loader.Forever().Take(steps)</c>.</summary>
    public IEnumerable<Batch> Forever()
    {
        while (true) foreach (var b in Epoch()) yield return b;
    }
}
