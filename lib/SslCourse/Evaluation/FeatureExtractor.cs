using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Evaluation;

/// <summary>Runs a frozen encoder over a data set once (eval mode, no gradients, batch by batch) so that probes
/// train on cached features.</summary>
public static class FeatureExtractor
{
    /// <summary>Features of every image.</summary>
    /// <param name="encoder"><c>[B, C, H, W]</c> -> <c>[B, D]</c> (or any shape; flattened to <c>[B, D]</c>)</param>
    /// <param name="images"><c>[N, C, H, W]</c></param>
    /// <param name="batchSize">images per forward pass</param>
    /// <returns><c>[N, D]</c> float32 on the CPU; the encoder's training mode is restored afterwards</returns>
    public static Tensor Extract(Module<Tensor, Tensor> encoder, Tensor images, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        using var mode = ModeScope.Eval(encoder);
        using var _ = no_grad();
        var device = encoder.parameters().FirstOrDefault()?.device ?? CPU;
        var parts = new List<Tensor>();
        long n = images.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = images[(int)start..(int)Math.Min(n, start + batchSize)].to(device);
            var f = encoder.call(batch).flatten(1).to(ScalarType.Float32).cpu(); // [B, D]
            parts.Add(f.MoveToOuterDisposeScope());
        }
        if (parts.Count == 0) throw new ArgumentException("images is empty.", nameof(images));
        var all = cat(parts.ToArray(), 0); // [N, D]
        foreach (var p in parts) p.Dispose();
        return all;
    }
}
