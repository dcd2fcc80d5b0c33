using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>Random fixed-length windows of a token stream: the mini-batches of language-model pre-training.</summary>
public static class TokenWindows
{
    /// <summary>
    /// Draws <paramref name="batch"/> windows of <paramref name="length"/> consecutive tokens, each starting at a
    /// uniformly random offset (drawn from <paramref name="generator"/>). <c>[L] -> [batch, length]</c> int64.
    /// </summary>
    /// <exception cref="ArgumentException">tokens is not 1-D or is shorter than length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">batch or length is below 1.</exception>
    public static Tensor Sample(Tensor tokens, int batch, int length, Generator generator)
    {
        if (tokens.dim() != 1) throw new ArgumentException($"tokens must be 1-D [L], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 1.");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be at least 1.");
        long n = tokens.shape[0];
        if (n < length) throw new ArgumentException($"the token stream has {n} tokens, fewer than the window length {length}.", nameof(tokens));
        using var scope = NewDisposeScope();
        var starts = randint(0, n - length + 1, [batch, 1], dtype: ScalarType.Int64, generator: generator); // [B, 1]
        var index = starts + arange(length, dtype: ScalarType.Int64).unsqueeze(0);                             // [B, length]
        return tokens.to_type(ScalarType.Int64).index([index.flatten()]).view(batch, length).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cuts the stream into consecutive non-overlapping windows (the last partial one dropped), e.g. for a
    /// deterministic evaluation of perplexity. <c>[L] -> [floor(L / length), length]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">tokens is not 1-D or is shorter than length.</exception>
    public static Tensor Consecutive(Tensor tokens, int length)
    {
        if (tokens.dim() != 1) throw new ArgumentException($"tokens must be 1-D [L], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be at least 1.");
        long count = tokens.shape[0] / length;
        if (count == 0) throw new ArgumentException($"the token stream has {tokens.shape[0]} tokens, fewer than the window length {length}.", nameof(tokens));
        return tokens.to_type(ScalarType.Int64).narrow(0, 0, count * length).reshape(count, length); // [count, length]
    }
}
