using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>
/// Reading a causal language model: the distribution of the next token, sampling with a temperature, and the
/// probability of a given continuation (to rank candidate words such as the lecture's "Hannah is a ___").
/// </summary>
public static class TextGeneration
{
    /// <summary>
    /// <c>softmax(logits / temperature)</c>: temperature 1 is the model's own distribution, below 1 sharpens it
    /// toward the most likely token, above 1 flattens it toward uniform. <c>[..., V] -> [..., V]</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">temperature is not positive.</exception>
    public static Tensor Distribution(Tensor logits, double temperature = 1.0)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive (use Generate with temperature 0 for greedy decoding).");
        return (logits.to_type(ScalarType.Float32) / temperature).softmax(-1);
    }

    /// <summary>
    /// How many tokens a prediction may look back on: <c>ContextLength − 1</c>. The causal loss on a window of T tokens
    /// (<see cref="Losses.LanguageModelLoss.Causal"/>) trains the predictions made at positions 0..T−2 only, so with
    /// windows of at most ContextLength tokens the last position never learns to predict. Reading the model there gives
    /// noise (the course's first sampler did, and its samples fell apart at character ContextLength).
    /// </summary>
    /// <exception cref="ArgumentException">The model's context length is below 2.</exception>
    public static int PredictionWindow(TransformerLanguageModel model)
    {
        if (model.Options.ContextLength < 2) throw new ArgumentException($"a context length of {model.Options.ContextLength} leaves no position that the causal loss trains to predict.", nameof(model));
        return model.Options.ContextLength - 1;
    }

    /// <summary>The model's distribution of the token after <paramref name="context"/>, read at the last position,
    /// with the context cropped to its last <see cref="PredictionWindow"/> tokens (a sliding window: generation goes on
    /// past the context length). <c>-> [V]</c>.</summary>
    /// <exception cref="ArgumentException">The context is empty.</exception>
    public static Tensor NextTokenProbabilities(TransformerLanguageModel model, IReadOnlyList<int> context, double temperature = 1.0)
    {
        if (context.Count == 0) throw new ArgumentException("the context is empty: a causal model needs at least one token to condition on.", nameof(context));
        int length = PredictionWindow(model);
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var window = context.Skip(Math.Max(0, context.Count - length)).Select(i => (long)i).ToArray();
        var logits = model.call(tensor(window, dtype: ScalarType.Int64).unsqueeze(0).to(Course.Device)); // [1, T, V]
        return Distribution(logits[0, -1], temperature).cpu().MoveToOuterDisposeScope();                   // [V]
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="count"/> tokens, each drawn from the next-token
    /// distribution at <paramref name="temperature"/> (0: always the most likely token).
    /// </summary>
    /// <returns>The new tokens only.</returns>
    /// <exception cref="ArgumentOutOfRangeException">temperature is negative or count is negative.</exception>
    public static int[] Generate(TransformerLanguageModel model, IReadOnlyList<int> prompt, int count, double temperature, Generator generator)
    {
        if (!(temperature >= 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be 0 (greedy) or positive.");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must not be negative.");
        var tokens = new List<int>(prompt);
        for (int i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            int next;
            if (temperature == 0) next = (int)NextTokenProbabilities(model, tokens).argmax().item<long>();
            else next = (int)multinomial(NextTokenProbabilities(model, tokens, temperature), 1, generator: generator).item<long>();
            tokens.Add(next);
        }
        return tokens.Skip(prompt.Count).ToArray();
    }

    /// <summary>
    /// <c>log p(continuation | context)</c> in nats: the sum over the continuation's tokens of the log-probability
    /// the model gives each after everything before it. Context plus continuation must fit the model's
    /// context, and every prediction is read at a position the causal loss trains (see <see cref="PredictionWindow"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The context or the continuation is empty, or they do not fit.</exception>
    public static double LogProbability(TransformerLanguageModel model, IReadOnlyList<int> context, IReadOnlyList<int> continuation)
    {
        if (context.Count == 0) throw new ArgumentException("the context is empty.", nameof(context));
        if (continuation.Count == 0) throw new ArgumentException("the continuation is empty.", nameof(continuation));
        int total = context.Count + continuation.Count;
        if (total - 1 > PredictionWindow(model))
            throw new ArgumentException($"context ({context.Count}) plus continuation ({continuation.Count}) tokens exceed the context length {model.Options.ContextLength}.", nameof(continuation));
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var all = context.Concat(continuation).Select(i => (long)i).ToArray();
        var input = tensor(all[..^1], dtype: ScalarType.Int64).unsqueeze(0).to(Course.Device);     // [1, L-1]
        var logp = model.call(input)[0].log_softmax(-1).cpu();                                    // [L-1, V]
        double sum = 0;
        for (int i = context.Count; i < total; i++) sum += logp[i - 1, all[i]].item<float>();
        return sum;
    }
}
