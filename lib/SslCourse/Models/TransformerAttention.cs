using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// Multi-head self-attention written out (Vaswani et al., "Attention Is All You Need", NeurIPS 2017): every position
/// forms a query, a key and a value; each head scores all keys against each query by a scaled dot product, turns the
/// scores into weights with a softmax over the keys a query may see, and averages the values with those weights.
/// A causal layer lets position t see only positions 0..t (next-token prediction); a bidirectional layer lets every
/// position see all (masked language modelling).
/// </summary>
public sealed class TransformerAttention : Module<Tensor, Tensor>
{
    readonly Linear qkv;
    readonly Linear proj;

    /// <summary>Width of the residual stream.</summary>
    public int Dim { get; }

    /// <summary>Number of heads; each works in <c>Dim / Heads</c> dimensions.</summary>
    public int Heads { get; }

    /// <summary>Whether position t attends only to positions up to t.</summary>
    public bool Causal { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="dim">Model width; divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads, at least 1.</param>
    /// <param name="causal">Causal (true) or bidirectional (false) attention.</param>
    /// <exception cref="ArgumentOutOfRangeException">dim or heads is not positive, or heads does not divide dim.</exception>
    public TransformerAttention(int dim, int heads, bool causal) : base(nameof(TransformerAttention))
    {
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be at least 1.");
        if (heads < 1 || dim % heads != 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"heads must be at least 1 and divide dim = {dim}.");
        Dim = dim;
        Heads = heads;
        Causal = causal;
        qkv = Linear(dim, 3 * dim);
        proj = Linear(dim, dim);
        RegisterComponents();
    }

    /// <summary>
    /// The causal mask: <c>true</c> where query i may attend to key j, i.e. j &lt;= i (a lower triangle with the
    /// diagonal). <c>-> [T, T]</c> bool.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">length is below 1.</exception>
    public static Tensor CausalMask(long length, Device? device = null)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be at least 1.");
        return ones(length, length, dtype: ScalarType.Bool, device: device).tril();
    }

    /// <summary>
    /// Attention weights: <c>softmax_j(q_i · k_j / sqrt(d))</c> over the keys j that <paramref name="allowed"/>
    /// permits for query i (the others get weight 0). <c>q [..., T, d], k [..., S, d], allowed [T, S] bool or null
    /// -> [..., T, S]</c>; every row sums to 1.
    /// </summary>
    public static Tensor Weights(Tensor q, Tensor k, Tensor? allowed = null)
    {
        using var scope = NewDisposeScope();
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.shape[^1]);      // [..., T, d] x [..., d, S] -> [..., T, S]
        if (allowed is not null) scores = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        return scores.softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scaled dot-product attention: the weighted average of the values. <c>q [..., T, d], k [..., S, d],
    /// v [..., S, dv], allowed [T, S] bool or null -> [..., T, dv]</c>.
    /// </summary>
    public static Tensor ScaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor? allowed = null)
    {
        using var scope = NewDisposeScope();
        return Weights(q, k, allowed).matmul(v).MoveToOuterDisposeScope();       // [..., T, S] x [..., S, dv] -> [..., T, dv]
    }

    (Tensor Q, Tensor K, Tensor V) Project(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1];
        var parts = qkv.call(x).view(b, t, 3, Heads, Dim / Heads).permute(2, 0, 3, 1, 4); // [B, T, 3D] -> [3, B, H, T, D/H]
        return (parts[0], parts[1], parts[2]);
    }

    Tensor? Mask(long t, Device device) => Causal ? CausalMask(t, device) : null;

    /// <summary>Self-attention over a sequence. <c>[B, T, D] -> [B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 3 || x.shape[2] != Dim) throw new ArgumentException($"input must be [B, T, {Dim}], got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        var (q, k, v) = Project(x);
        var heads = ScaledDotProduct(q, k, v, Mask(t, x.device));                  // [B, H, T, D/H]
        var merged = heads.transpose(1, 2).reshape(b, t, Dim);                    // [B, H, T, D/H] -> [B, T, D]
        return proj.call(merged).MoveToOuterDisposeScope();
    }

    /// <summary>The attention weights of every head, for pictures. <c>[B, T, D] -> [B, H, T, T]</c>.</summary>
    public Tensor AttentionWeights(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (q, k, _) = Project(x);
        return Weights(q, k, Mask(x.shape[1], x.device)).MoveToOuterDisposeScope();
    }
}
