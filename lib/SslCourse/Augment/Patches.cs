using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>Batched patch extraction: each image its own patch corners.</summary>
internal static class Patches
{
    /// <summary>images [N, C, H, W], tops and lefts [N, P] int64 -> [N, P, C, size, size].</summary>
    public static Tensor Extract(Tensor images, Tensor tops, Tensor lefts, int size)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3], p = tops.shape[1];
        var offs = arange(size, dtype: ScalarType.Int64, device: images.device);      // indices beside the images
        var rows = tops.to(images.device).unsqueeze(-1) + offs;                        // [N, P, S]
        var cols = lefts.to(images.device).unsqueeze(-1) + offs;                       // [N, P, S]
        var x = images.unsqueeze(1).expand(n, p, c, h, w);                             // [N, P, C, H, W]
        var ri = rows.view(n, p, 1, size, 1).expand(n, p, c, size, w);
        x = x.gather(3, ri);                                                           // [N, P, C, S, W]
        var ci = cols.view(n, p, 1, 1, size).expand(n, p, c, size, size);
        return x.gather(4, ci).MoveToOuterDisposeScope();                              // [N, P, C, S, S]
    }
}
