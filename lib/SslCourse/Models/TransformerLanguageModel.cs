using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>The shape of a <see cref="TransformerLanguageModel"/>.</summary>
/// <param name="VocabSize">Number of token ids.</param>
/// <param name="ContextLength">Longest sequence; the number of learned position embeddings.</param>
/// <param name="Dim">Model width (embedding size).</param>
/// <param name="Layers">Number of <see cref="TransformerBlock"/>s.</param>
/// <param name="Heads">Attention heads per layer (must divide Dim).</param>
/// <param name="Causal">True: each position sees only earlier ones (GPT, next-token prediction); false: every
/// position sees all (BERT, masked language modelling).</param>
/// <param name="TiedOutput">Use the token embedding as the output layer (Press and Wolf, EACL 2017), as GPT-2 does.</param>
/// <param name="Dropout">Dropout in each block, in [0, 1).</param>
public sealed record TransformerOptions(int VocabSize, int ContextLength, int Dim = 128, int Layers = 4, int Heads = 4,
    bool Causal = true, bool TiedOutput = true, double Dropout = 0.0)
{
    /// <summary>Throws when an option is out of range, naming it and its value.</summary>
    public void Validate()
    {
        if (VocabSize < 2) throw new ArgumentOutOfRangeException(nameof(VocabSize), VocabSize, "VocabSize must be at least 2.");
        if (ContextLength < 1) throw new ArgumentOutOfRangeException(nameof(ContextLength), ContextLength, "ContextLength must be at least 1.");
        if (Dim < 1) throw new ArgumentOutOfRangeException(nameof(Dim), Dim, "Dim must be at least 1.");
        if (Layers < 1) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "Layers must be at least 1.");
        if (Heads < 1 || Dim % Heads != 0) throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"Heads must be at least 1 and divide Dim = {Dim}.");
    }
}

/// <summary>
/// A small Transformer over tokens: token embeddings plus learned position embeddings, a stack of
/// <see cref="TransformerBlock"/>s, a final LayerNorm and a linear read-out to one logit per vocabulary entry.
/// With <c>Causal = true</c> it is a GPT-style next-token predictor; with <c>Causal = false</c> a BERT-style
/// masked-token predictor. Weights start as in GPT-2: normal with std 0.02, biases 0, LayerNorms 1 and 0.
/// </summary>
public sealed class TransformerLanguageModel : Module<Tensor, Tensor>
{
    readonly Embedding wte;
    readonly Embedding wpe;
    readonly ModuleList<TransformerBlock> h;
    readonly LayerNorm ln_f;
    readonly Linear? lm_head;

    /// <summary>The options the model was built with.</summary>
    public TransformerOptions Options { get; }

    /// <summary>Builds the model; initial weights come from <paramref name="generator"/> (or torch's global one).</summary>
    public TransformerLanguageModel(TransformerOptions options, Generator? generator = null) : base(nameof(TransformerLanguageModel))
    {
        options.Validate();
        Options = options;
        wte = Embedding(options.VocabSize, options.Dim);
        wpe = Embedding(options.ContextLength, options.Dim);
        h = new ModuleList<TransformerBlock>(Enumerable.Range(0, options.Layers)
            .Select(_ => new TransformerBlock(options.Dim, options.Heads, options.Causal, dropout: options.Dropout)).ToArray());
        ln_f = LayerNorm(options.Dim);
        if (!options.TiedOutput) lm_head = Linear(options.Dim, options.VocabSize, hasBias: false);
        RegisterComponents();
        Initialise(generator);
    }

    void Initialise(Generator? generator)
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("bias")) p.zero_();
            else if (name.Contains("ln_")) p.fill_(1.0);
            else p.normal_(0.0, 0.02, generator);
        }
    }

    /// <summary>The blocks, in order (for pictures of attention).</summary>
    public IReadOnlyList<TransformerBlock> Blocks => h.ToList();

    /// <summary>The token embedding table. <c>[V, D]</c>.</summary>
    public Tensor TokenEmbedding => wte.weight!;

    /// <summary>Checks that <paramref name="tokens"/> is <c>[B, T]</c> with T within the context.</summary>
    void CheckTokens(Tensor tokens)
    {
        if (tokens.dim() != 2) throw new ArgumentException($"tokens must be [B, T], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        if (tokens.shape[1] > Options.ContextLength)
            throw new ArgumentException($"sequence length {tokens.shape[1]} exceeds the context length {Options.ContextLength}.", nameof(tokens));
    }

    /// <summary>The input of the first block: token plus position embeddings. <c>[B, T] -> [B, T, D]</c>.</summary>
    public Tensor Embed(Tensor tokens)
    {
        CheckTokens(tokens);
        using var scope = NewDisposeScope();
        var positions = arange(tokens.shape[1], dtype: ScalarType.Int64, device: tokens.device);   // [T]
        return (wte.call(tokens) + wpe.call(positions).unsqueeze(0)).MoveToOuterDisposeScope();     // [B, T, D] + [1, T, D]
    }

    /// <summary>The final hidden states (after <c>ln_f</c>): one contextual vector per position. <c>[B, T] -> [B, T, D]</c>.</summary>
    public Tensor Hidden(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        foreach (var block in h) x = block.call(x);
        return ln_f.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>Mean of the hidden states over positions: one vector per sequence. <c>[B, T] -> [B, D]</c>.</summary>
    public Tensor Pooled(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return Hidden(tokens).mean([1]).MoveToOuterDisposeScope();
    }

    /// <summary>Logits for the token at every position (causal: the next token; bidirectional: the token itself).
    /// <c>[B, T] -> [B, T, V]</c>.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(tokens);                                                               // [B, T, D]
        var logits = lm_head is null ? hidden.matmul(wte.weight!.t()) : lm_head.call(hidden);     // [B, T, D] x [D, V] -> [B, T, V]
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>A new model with the same options and a copy of every weight (for fine-tuning without touching the
    /// pre-trained original).</summary>
    public TransformerLanguageModel Copy()
    {
        var copy = new TransformerLanguageModel(Options);
        using var _ = no_grad();
        var source = state_dict();
        foreach (var (name, p) in copy.state_dict()) p.copy_(source[name]);
        return copy;
    }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
