using SslCourse.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Evaluation;

/// <summary>
/// Features of one block of a <see cref="ConvNet"/> for layer-wise linear probes (as in Gidaris, Singh and Komodakis,
/// ICLR 2018, and Zhang, Isola and Efros, ECCV 2016): the block's map average-pooled to a small grid and flattened,
/// so that every layer gives a vector of comparable length.
/// </summary>
public static class LayerFeatures
{
    /// <summary>Pools one feature map: <c>[N, C, h, w]</c> -> <c>[N, C * grid * grid]</c> (adaptive average pooling to
    /// grid x grid cells, flattened channel-major: channel c, row i, column j at <c>c * grid^2 + i * grid + j</c>).</summary>
    /// <param name="map"><c>[N, C, h, w]</c></param>
    /// <param name="grid">cells per side (1: global average pooling)</param>
    public static Tensor Pool(Tensor map, int grid = 2)
    {
        if (map.dim() != 4) throw new ArgumentException($"map must be [N, C, h, w]; got [{string.Join(", ", map.shape)}].", nameof(map));
        if (grid < 1) throw new ArgumentOutOfRangeException(nameof(grid), grid, "grid must be at least 1.");
        return functional.adaptive_avg_pool2d(map, [grid, grid]).flatten(1);
    }

    /// <summary>Pooled features of block <paramref name="layer"/> (0-based, 0..3) for every image, batch by batch, in eval
    /// mode without gradients: <c>[N, C_in, H, W]</c> -> <c>[N, C_layer * grid^2]</c> float32 on the CPU.</summary>
    /// <param name="encoder">the encoder (its training mode is restored afterwards)</param>
    /// <param name="images"><c>[N, C, H, W]</c></param>
    /// <param name="layer">block index 0..3</param>
    /// <param name="grid">cells per side of the pooling</param>
    /// <param name="batchSize">images per forward pass</param>
    public static Tensor Extract(ConvNet encoder, Tensor images, int layer, int grid = 2, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (layer < 0 || layer >= encoder.Widths.Count) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer must lie in 0..{encoder.Widths.Count - 1}.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        using var mode = ModeScope.Eval(encoder);
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = images[(int)start..(int)Math.Min(images.shape[0], start + batchSize)];
            parts.Add(Pool(encoder.Features(batch)[layer], grid).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
        }
        if (parts.Count == 0) throw new ArgumentException("images is empty.", nameof(images));
        var all = cat(parts.ToArray(), 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }
}
