using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>
/// Fixed features of labelled passages for a linear probe: what a frozen language model makes of a passage, and a
/// bag-of-characters baseline that knows nothing but letter frequencies.
/// </summary>
public static class PassageFeatures
{
    /// <summary>
    /// Cuts every passage into consecutive windows of <paramref name="window"/> tokens, takes the mean of the
    /// model's final hidden states over each window (<see cref="TransformerLanguageModel.Pooled"/>), then averages
    /// the windows of a passage. No gradients, evaluation mode. <c>[N, L] -> [N, D]</c>, L a multiple of window.
    /// </summary>
    /// <param name="model">The frozen model (pre-trained or random).</param>
    /// <param name="tokens">Passages. <c>[N, L]</c> int64.</param>
    /// <param name="window">Tokens per window, at most the model's context length.</param>
    /// <param name="batchSize">Windows per forward pass.</param>
    /// <exception cref="ArgumentOutOfRangeException">window or batchSize is below 1, window exceeds the context,
    /// or L is not a multiple of window.</exception>
    public static Tensor Pooled(TransformerLanguageModel model, Tensor tokens, int window, int batchSize = 512)
    {
        if (window < 1 || window > model.Options.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(window), window, $"window must be in 1..{model.Options.ContextLength} (the context length).");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (tokens.dim() != 2) throw new ArgumentException($"tokens must be [N, L], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        long n = tokens.shape[0], length = tokens.shape[1];
        if (length % window != 0)
            throw new ArgumentOutOfRangeException(nameof(window), window, $"the passage length {length} is not a multiple of window {window}.");
        long k = length / window;
        using var mode = ModeScope.Eval(model);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var windows = tokens.reshape(n * k, window);                                              // [N, L] -> [N*k, window]
        var parts = new List<Tensor>();
        for (long start = 0; start < n * k; start += batchSize)
            parts.Add(model.Pooled(windows.narrow(0, start, Math.Min(batchSize, n * k - start)))); // [b, D]
        var pooled = cat(parts, 0).reshape(n, k, model.Options.Dim).mean([1]);                    // [N*k, D] -> [N, k, D] -> [N, D]
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The share of each token id in each passage: a bag of characters (or of tokens), blind to their order.
    /// <c>[N, L] -> [N, vocabSize]</c>, every row sums to 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">vocabSize is below 1.</exception>
    public static Tensor BagOfTokens(Tensor tokens, int vocabSize)
    {
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabSize must be at least 1.");
        if (tokens.dim() != 2) throw new ArgumentException($"tokens must be [N, L], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        using var scope = NewDisposeScope();
        return nn.functional.one_hot(tokens.to_type(ScalarType.Int64), vocabSize).to_type(ScalarType.Float32)   // [N, L, V]
            .mean([1]).MoveToOuterDisposeScope();                                                               // [N, V]
    }
}
