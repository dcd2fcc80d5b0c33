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

    /// <summary>
    /// Trains on labelled sequences with AdamW and cross-entropy for a fixed number of steps, drawing mini-batches
    /// from <paramref name="generator"/>. Returns the loss of every step.
    /// </summary>
    /// <param name="tokens">Inputs. <c>[N, T]</c> int64.</param>
    /// <param name="labels">Class indices. <c>[N]</c> int64.</param>
    /// <param name="steps">Optimisation steps, at least 1.</param>
    /// <param name="batchSize">Examples per step (capped at N).</param>
    /// <param name="lr">AdamW learning rate for the head.</param>
    /// <param name="bodyLr">Learning rate for the body: 0 freezes it (a linear probe).</param>
    /// <param name="generator">Source of the mini-batch draws.</param>
    /// <param name="weightDecay">AdamW weight decay.</param>
    public List<double> Fit(Tensor tokens, Tensor labels, int steps, int batchSize, double lr, double bodyLr, Generator generator, double weightDecay = 0.01)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "lr must be positive.");
        if (!(bodyLr >= 0)) throw new ArgumentOutOfRangeException(nameof(bodyLr), bodyLr, "bodyLr must be 0 (frozen) or positive.");
        if (tokens.shape[0] != labels.shape[0]) throw new ArgumentException($"tokens has {tokens.shape[0]} rows but labels has {labels.shape[0]}.", nameof(labels));
        long n = tokens.shape[0];
        int b = (int)Math.Min(batchSize, n);
        var groups = new List<AdamW.ParamGroup> { new(head.parameters(), lr: lr, weight_decay: weightDecay) };
        if (bodyLr > 0) groups.Add(new(body.parameters(), lr: bodyLr, weight_decay: weightDecay));
        foreach (var p in body.parameters()) p.requires_grad = bodyLr > 0;
        using var optimizer = optim.AdamW(groups);
        train();
        try
        {
            return Trainer.Run(new TrainOptions { Steps = steps, ShowProgress = false, ThrowOnNonFiniteLoss = false }, optimizer, _ =>
            {
                var index = randperm(n, generator: generator).narrow(0, 0, b);          // [b] distinct examples
                return functional.cross_entropy(call(tokens.index_select(0, index)), labels.index_select(0, index));
            }).Loss;
        }
        finally
        {
            foreach (var p in body.parameters()) p.requires_grad = true;
            eval();
        }
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
