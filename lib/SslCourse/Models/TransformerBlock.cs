using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// One Transformer layer in the pre-norm arrangement of GPT-2 (Radford et al., OpenAI 2019):
/// <c>x + attn(ln_1(x))</c>, then <c>x + mlp(ln_2(x))</c>, with a 4x wide GELU MLP.
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    readonly LayerNorm ln_1;
    readonly TransformerAttention attn;
    readonly LayerNorm ln_2;
    readonly Sequential mlp;

    /// <summary>Creates the layer (see <see cref="TransformerAttention"/> for the arguments' ranges).</summary>
    /// <param name="dim">Model width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="causal">Causal or bidirectional attention.</param>
    /// <param name="mlpRatio">Hidden width of the MLP as a multiple of dim (GPT-2 and BERT: 4).</param>
    /// <param name="dropout">Dropout at the end of the MLP branch, in [0, 1) (0 for the short runs here).</param>
    public TransformerBlock(int dim, int heads, bool causal, int mlpRatio = 4, double dropout = 0.0) : base(nameof(TransformerBlock))
    {
        if (mlpRatio < 1) throw new ArgumentOutOfRangeException(nameof(mlpRatio), mlpRatio, "mlpRatio must be at least 1 (GPT-2: 4).");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        ln_1 = LayerNorm(dim);
        attn = new TransformerAttention(dim, heads, causal);
        ln_2 = LayerNorm(dim);
        mlp = Sequential(
            ("fc", Linear(dim, mlpRatio * dim)),
            ("act", GELU()),
            ("proj", Linear(mlpRatio * dim, dim)),
            ("drop", Dropout(dropout)));
        RegisterComponents();
    }

    /// <summary>The layer's attention (for pictures of its weights).</summary>
    public TransformerAttention Attention => attn;

    /// <summary>The normalisation applied before attention (to reproduce the attention's input).</summary>
    public LayerNorm AttentionNorm => ln_1;

    /// <summary><c>[B, T, D] -> [B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.call(ln_1.call(x));
        return (h + mlp.call(ln_2.call(h))).MoveToOuterDisposeScope();
    }
}
