using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>The pieces of <see cref="Jigsaw.Apply"/> one at a time, for showing and checking: the tiles in source
/// order, the permutation table, and the shuffle itself.</summary>
public static class JigsawTiles
{
    /// <summary>The tiles of <paramref name="images"/> in source order (row by row), with the same draws as
    /// <see cref="Jigsaw.Apply"/> makes from a generator in the same state: tiles <c>[N, G*G, C, t, t]</c> and the
    /// permutation labels <c>[N]</c> int64 that Apply would use.</summary>
    public static (Tensor Tiles, Tensor Labels) InPlace(Jigsaw jigsaw, Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(jigsaw);
        ViewTransforms.CheckImages(images);
        long side = Math.Min(images.shape[2], images.shape[3]);
        using var scope = NewDisposeScope();
        var (labels, tops, lefts) = jigsaw.Sample(images.shape[0], side, generator);
        var tiles = Patches.Extract(images, tops, lefts, jigsaw.TileSize(side));
        return (tiles.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>The set as a table: <c>[K, n]</c> int64, row k the permutation with label k.</summary>
    public static Tensor Table(PermutationSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return tensor(set.Permutations.SelectMany(p => p.Select(v => (long)v)).ToArray(), [set.Count, set.Length]);
    }

    /// <summary>Shuffles tiles: position j of image n shows source tile <c>order[n, j]</c>.
    /// tiles <c>[N, T, C, t, t]</c>, order <c>[N, T]</c> int64 -> <c>[N, T, C, t, t]</c>.</summary>
    public static Tensor Shuffle(Tensor tiles, Tensor order)
    {
        if (tiles.dim() != 5) throw new ArgumentException($"tiles must be [N, T, C, t, t]; got [{string.Join(", ", tiles.shape)}].", nameof(tiles));
        if (order.dim() != 2 || order.shape[0] != tiles.shape[0] || order.shape[1] != tiles.shape[1])
            throw new ArgumentException($"order must be [{tiles.shape[0]}, {tiles.shape[1]}]; got [{string.Join(", ", order.shape)}].", nameof(order));
        return tiles.gather(1, order.view(order.shape[0], order.shape[1], 1, 1, 1).expand_as(tiles));
    }
}
