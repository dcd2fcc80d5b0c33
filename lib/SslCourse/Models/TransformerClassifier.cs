using SslCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A sequence classifier on top of a <see cref="TransformerLanguageModel"/>: the mean of its hidden states over
/// positions, then a linear layer to one logit per class. Whether the body starts pre-trained or random is the
/// caller's choice: the downstream comparison uses the same class for both.
/// </summary>
public sealed class TransformerClassifier : Module<Tensor, Tensor>
{
    readonly TransformerLanguageModel body;
    readonly Linear head;

    /// <summary>Wraps <paramref name="body"/> (shared, not copied) with a new linear head.</summary>
    /// <exception cref="ArgumentOutOfRangeException">classes is below 2.</exception>
    public TransformerClassifier(TransformerLanguageModel body, int classes, Generator? generator = null) : base(nameof(TransformerClassifier))
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        this.body = body;
        head = Linear(body.Options.Dim, classes);
        RegisterComponents();
        using var _ = no_grad();
        head.weight!.normal_(0.0, 0.02, generator);
        head.bias!.zero_();
    }

    /// <summary>The Transformer underneath.</summary>
    public TransformerLanguageModel Body => body;

    /// <summary>The linear head on the pooled hidden states.</summary>
    public Linear Head => head;

    /// <summary>
    /// Class logits. <c>[B, T] -> [B, classes]</c>. A passage longer than the body's context (T a multiple of it)
    /// is cut into consecutive windows of the context length, each window pooled on its own, and the windows
    /// averaged before the head.
    /// </summary>
    /// <exception cref="ArgumentException">T exceeds the context and is not a multiple of it.</exception>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        long batch = tokens.shape[0], length = tokens.shape[1], context = body.Options.ContextLength;
        if (length <= context) return head.call(body.Pooled(tokens)).MoveToOuterDisposeScope();
        if (length % context != 0)
            throw new ArgumentException($"a passage of {length} tokens is longer than the context {context} and not a multiple of it.", nameof(tokens));
        long k = length / context;
        var pooled = body.Pooled(tokens.reshape(batch * k, context))      // [B, k*C] -> [B*k, C] -> [B*k, D]
            .reshape(batch, k, body.Options.Dim).mean([1]);                // [B, k, D] -> [B, D]
        return head.call(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted class of each sequence, in batches, without gradients. <c>[N, T] -> [N]</c> int64.</summary>
    public Tensor Predict(Tensor tokens, int batchSize = 256)
    {
        eval();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < tokens.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(batchSize, tokens.shape[0] - start);
            parts.Add(call(tokens.narrow(0, start, len)).argmax(1).MoveToOuterDisposeScope());
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>Share of sequences whose predicted class equals the label (0..1). <c>[N, T], [N] -> double</c>.</summary>
    public double Accuracy(Tensor tokens, Tensor labels, int batchSize = 256)
    {
        using var predicted = Predict(tokens, batchSize);
        using var correct = predicted.eq(labels.to_type(ScalarType.Int64)).to_type(ScalarType.Float64).mean();
        return correct.item<double>();
    }
}
