using SslCourse.Losses;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>Held-out scores of language models, computed in batches without gradients.</summary>
public static class LanguageModelEvaluation
{
    /// <summary>
    /// Mean next-token negative log-likelihood (nats per token) of a causal model over fixed windows, every
    /// window weighted by its T-1 predictions. <c>windows [N, T] -> double</c>; <c>exp</c> of it is the perplexity.
    /// </summary>
    public static double CausalLoss(TransformerLanguageModel model, Tensor windows, int batchSize = 64)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        using var mode = ModeScope.Eval(model);
        using var _ = no_grad();
        double sum = 0;
        long n = windows.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = windows.narrow(0, start, Math.Min(batchSize, n - start)).to(Course.Device);
            sum += LanguageModelLoss.Causal(model.call(batch), batch).item<float>() * batch.shape[0];
        }
        return sum / n;
    }

    /// <summary>
    /// Masked-token loss and accuracy of a bidirectional model on windows corrupted with BERT's procedure, drawn
    /// from <paramref name="generator"/> (seed it for a repeatable score). <c>windows [N, T] -> (nats per predicted
    /// token, share of predicted tokens whose most likely id is the original)</c>.
    /// </summary>
    public static (double Loss, double Accuracy) Masked(TransformerLanguageModel model, Tensor windows, int maskId, int firstRegularId, Generator generator, int batchSize = 64)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        using var mode = ModeScope.Eval(model);
        using var _ = no_grad();
        double lossSum = 0, correct = 0, count = 0;
        long n = windows.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = windows.narrow(0, start, Math.Min(batchSize, n - start));
            using var m = TokenMasking.Mask(batch, maskId, firstRegularId, model.Options.VocabSize, generator);
            var logits = model.call(m.Inputs.to(Course.Device)).cpu();                    // [b, T, V]
            double selected = m.Selected.sum().item<long>();
            if (selected == 0) continue;
            lossSum += LanguageModelLoss.Masked(logits, m.Targets).item<float>() * selected;
            correct += logits.argmax(-1).eq(m.Targets).logical_and(m.Selected).sum().item<long>();
            count += selected;
        }
        return count == 0 ? (double.NaN, double.NaN) : (lossSum / count, correct / count);
    }

    /// <summary>
    /// Predictions at the [mask] positions of one sequence from a bidirectional model: the probability of every
    /// token at every position. <c>ids [T] -> [T, V]</c> (rows of unmasked positions are returned too).
    /// </summary>
    public static Tensor TokenProbabilities(TransformerLanguageModel model, IReadOnlyList<int> ids)
    {
        if (ids.Count == 0 || ids.Count > model.Options.ContextLength)
            throw new ArgumentException($"the sequence has {ids.Count} tokens; it must have 1..{model.Options.ContextLength}.", nameof(ids));
        using var mode = ModeScope.Eval(model);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(ids.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64).unsqueeze(0).to(Course.Device); // [1, T]
        var probs = model.call(x)[0].softmax(-1).cpu();                                                            // [T, V]
        return probs.MoveToOuterDisposeScope();
    }
}
