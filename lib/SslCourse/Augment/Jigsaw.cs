using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// The jigsaw pretext task (Noroozi and Favaro, ECCV 2016): cut each image into a 3x3 grid of cells, take from every
/// cell a smaller tile at a random offset (the gap between tiles and the jitter stop the network from matching
/// edges), shuffle the tiles by one permutation of a <see cref="PermutationSet"/>, and ask for its index.
/// </summary>
public sealed class Jigsaw
{
    /// <summary>The permutations; the label is an index into it.</summary>
    public PermutationSet Set { get; }
    /// <summary>Pixels left out between neighbouring tiles (at least; the jitter adds more).</summary>
    public int Gap { get; }
    /// <summary>Grid side (3 in the paper).</summary>
    public int Grid { get; }

    public Jigsaw(PermutationSet set, int gap = 2, int grid = 3)
    {
        if (grid < 2) throw new ArgumentOutOfRangeException(nameof(grid), grid, "grid must be at least 2.");
        if (set.Length != grid * grid) throw new ArgumentException($"the permutations have length {set.Length}, the grid needs {grid * grid}.", nameof(set));
        if (gap < 0) throw new ArgumentOutOfRangeException(nameof(gap), gap, "gap must be >= 0.");
        (Set, Gap, Grid) = (set, gap, grid);
    }

    /// <summary>Tile side for images of side <paramref name="side"/>: cell side minus the gap.</summary>
    public int TileSize(long side) => (int)(side / Grid) - Gap;

    /// <summary>Per-image draws: permutation index [N] int64 and tile corners (tops, lefts) [N, G*G] int64 in source cell
    /// order (before shuffling).</summary>
    public (Tensor Labels, Tensor Tops, Tensor Lefts) Sample(long n, long side, Generator generator)
    {
        using var scope = NewDisposeScope();
        int cell = (int)(side / Grid), tile = TileSize(side);
        if (tile < 1) throw new ArgumentException($"images of side {side} leave tiles of {tile} pixels with gap {Gap}.");
        var labels = randint(0, Set.Count, [n], dtype: ScalarType.Int64, generator: generator);
        var cellIndex = arange(Grid * Grid, dtype: ScalarType.Int64);
        var jy = randint(0, cell - tile + 1, [n, Grid * Grid], dtype: ScalarType.Int64, generator: generator);   // jitter inside the cell
        var jx = randint(0, cell - tile + 1, [n, Grid * Grid], dtype: ScalarType.Int64, generator: generator);
        var tops = cellIndex.div(Grid, RoundingMode.floor) * cell + jy;                                       // [N, G*G]
        var lefts = (cellIndex % Grid) * cell + jx;
        return (labels.MoveToOuterDisposeScope(), tops.MoveToOuterDisposeScope(), lefts.MoveToOuterDisposeScope());
    }

    /// <summary>[N, C, H, W] -> tiles [N, G*G, C, t, t] (position j holds source tile perm[j]) and labels [N] int64.</summary>
    public (Tensor Tiles, Tensor Labels) Apply(Tensor images, Generator generator)
    {
        ViewTransforms.CheckImages(images);
        using var scope = NewDisposeScope();
        var (labels, tops, lefts) = Sample(images.shape[0], Math.Min(images.shape[2], images.shape[3]), generator);
        var tiles = Patches.Extract(images, tops, lefts, TileSize(Math.Min(images.shape[2], images.shape[3]))); // [N, 9, C, t, t]
        var table = tensor(Set.Permutations.SelectMany(p => p.Select(v => (long)v)).ToArray(), [Set.Count, Set.Length]);
        labels = labels.to(images.device);                                               // beside the images (drawn on the CPU)
        var order = table.to(images.device).index_select(0, labels);                     // [N, 9] source tile per position
        var shuffled = tiles.gather(1, order.view(order.shape[0], order.shape[1], 1, 1, 1).expand_as(tiles));
        return (shuffled.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
