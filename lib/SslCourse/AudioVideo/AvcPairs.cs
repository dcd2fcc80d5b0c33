using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.AudioVideo;

/// <summary>
/// Training pairs for audio-visual correspondence (Arandjelović and Zisserman, "Look, Listen and Learn", ICCV 2017):
/// from a batch of N clips, N positives (frame i with its own sound i) and N negatives (frame i with the sound of
/// another clip j != i), so that the two classes are balanced. As in the paper, the negative's clip is any other clip,
/// so it sometimes holds the same kind of object: those pairs are "mismatched" by label but not by content.
/// </summary>
public static class AvcPairs
{
    /// <summary>For each i in 0..N-1 an index j != i, uniform over the other N-1: j = (i + r) mod N with r uniform in 1..N-1.</summary>
    /// <returns>[N] int64.</returns>
    public static Tensor MismatchPartners(int n, Generator generator)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 2 to have a different clip to pair with.");
        using var scope = NewDisposeScope();
        var shift = randint(1, n, new long[] { n }, generator: generator, dtype: ScalarType.Int64);   // [N] in 1..N-1
        return arange(n, dtype: ScalarType.Int64).add(shift).remainder(n).MoveToOuterDisposeScope();
    }

    /// <summary>The 2N pairs of a batch of N clips: first the N matched pairs (i, i, label 1), then the N mismatched
    /// pairs (i, <see cref="MismatchPartners"/>[i], label 0).</summary>
    /// <returns>FrameIndex [2N], SoundIndex [2N], Label [2N], all int64.</returns>
    public static (Tensor FrameIndex, Tensor SoundIndex, Tensor Label) Build(int n, Generator generator)
    {
        using var scope = NewDisposeScope();
        var i = arange(n, dtype: ScalarType.Int64);
        var j = MismatchPartners(n, generator);
        var frame = cat(new[] { i, i });
        var sound = cat(new[] { i, j });
        var label = cat(new[] { ones(n, dtype: ScalarType.Int64), zeros(n, dtype: ScalarType.Int64) });
        return (frame.MoveToOuterDisposeScope(), sound.MoveToOuterDisposeScope(), label.MoveToOuterDisposeScope());
    }
}
