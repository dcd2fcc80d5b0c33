using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Losses;

/// <summary>
/// The two self-supervised objectives of language models, as pure functions of logits and tokens. Both are the mean
/// negative log-likelihood (in nats) of the tokens the model must predict; <see cref="Perplexity"/> turns it into
/// "as uncertain as a uniform choice among this many tokens".
/// </summary>
public static class LanguageModelLoss
{
    /// <summary>Targets equal to this value are not predicted (as in <see cref="Text.TokenMasking.IgnoreIndex"/>).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// Next-token prediction (GPT; Radford et al. 2018, 2019): the logits at position t predict token t + 1, so the
    /// loss is <c>-(1 / (B (T-1))) sum_{b, t &lt; T-1} log softmax(logits[b, t])[tokens[b, t+1]]</c>; the last
    /// position has no target. <c>logits [B, T, V], tokens [B, T] int64 -> scalar</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, or T &lt; 2.</exception>
    public static Tensor Causal(Tensor logits, Tensor tokens)
    {
        CheckShapes(logits, tokens);
        if (tokens.shape[1] < 2) throw new ArgumentException($"a causal loss needs at least 2 positions, got T = {tokens.shape[1]}.", nameof(tokens));
        using var scope = NewDisposeScope();
        long b = logits.shape[0], t = logits.shape[1], v = logits.shape[2];
        var predictions = logits.narrow(1, 0, t - 1).reshape(b * (t - 1), v);     // positions 0..T-2: [B (T-1), V]
        var targets = tokens.narrow(1, 1, t - 1).reshape(b * (t - 1));             // tokens 1..T-1:   [B (T-1)]
        return nn.functional.cross_entropy(predictions, targets.to_type(ScalarType.Int64)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Masked-token prediction (BERT; Devlin et al., NAACL 2019): the mean of <c>-log softmax(logits[b, t])[targets[b, t]]</c>
    /// over the positions whose target is not <see cref="IgnoreIndex"/> (the selected ones). Returns 0 (with a
    /// gradient path) when no position is selected. <c>logits [B, T, V], targets [B, T] int64 -> scalar</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    public static Tensor Masked(Tensor logits, Tensor targets)
    {
        CheckShapes(logits, targets);
        using var scope = NewDisposeScope();
        long v = logits.shape[2];
        var flatLogits = logits.reshape(-1, v);                                     // [B T, V]
        var flatTargets = targets.reshape(-1).to_type(ScalarType.Int64);            // [B T]
        var selected = flatTargets.ne(IgnoreIndex);                                 // [B T] bool
        var count = selected.sum().to_type(ScalarType.Float32);
        var perToken = nn.functional.cross_entropy(flatLogits, flatTargets.masked_fill(selected.logical_not(), 0), reduction: nn.Reduction.None); // [B T]
        var total = (perToken * selected.to_type(perToken.dtype)).sum();
        return (total / count.clamp_min(1.0)).MoveToOuterDisposeScope();
    }

    /// <summary>Perplexity <c>exp(mean negative log-likelihood in nats)</c>.</summary>
    public static double Perplexity(double meanNll) => Math.Exp(meanNll);

    /// <summary>Bits per token: <c>mean negative log-likelihood / ln 2</c>.</summary>
    public static double BitsPerToken(double meanNll) => meanNll / Math.Log(2);

    static void CheckShapes(Tensor logits, Tensor tokens)
    {
        if (logits.dim() != 3) throw new ArgumentException($"logits must be [B, T, V], got [{string.Join(", ", logits.shape)}].", nameof(logits));
        if (tokens.dim() != 2 || tokens.shape[0] != logits.shape[0] || tokens.shape[1] != logits.shape[1])
            throw new ArgumentException($"tokens must be [B, T] = [{logits.shape[0]}, {logits.shape[1]}] to match the logits, got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
    }
}
