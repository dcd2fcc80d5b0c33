using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>A batch prepared for masked language modelling.</summary>
/// <param name="Inputs">What the model sees: the tokens with the selected positions corrupted. <c>[N, T]</c> int64.</param>
/// <param name="Targets">The original token at each selected position, <see cref="TokenMasking.IgnoreIndex"/> elsewhere. <c>[N, T]</c> int64.</param>
/// <param name="Selected">Which positions were selected for prediction. <c>[N, T]</c> bool.</param>
public sealed record MaskedTokens(Tensor Inputs, Tensor Targets, Tensor Selected) : IDisposable
{
    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Selected.Dispose();
    }
}

/// <summary>
/// BERT's corruption for masked language modelling (Devlin, Chang, Lee, Toutanova, "BERT: Pre-training of Deep
/// Bidirectional Transformers for Language Understanding", NAACL 2019): select 15% of the positions for prediction;
/// of those, replace 80% by [mask], 10% by a random token and leave 10% unchanged. The model must predict the
/// original token at every selected position (and only there), so it cannot tell which inputs are intact.
/// </summary>
public static class TokenMasking
{
    /// <summary>The target value of positions that are not predicted (PyTorch's cross-entropy default).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>BERT's selection rate.</summary>
    public const double BertSelectRate = 0.15;

    /// <summary>BERT's share of selected positions replaced by [mask].</summary>
    public const double BertMaskShare = 0.8;

    /// <summary>BERT's share of selected positions replaced by a random token.</summary>
    public const double BertRandomShare = 0.1;

    /// <summary>
    /// The corruption as a pure function of given uniform draws (what the exercise asks for): position (n, t) is
    /// selected when <c>selectDraw &lt; selectRate</c>; a selected position becomes <paramref name="maskId"/> when
    /// <c>actionDraw &lt; maskShare</c>, becomes <c>randomTokens</c> when <c>maskShare &lt;= actionDraw &lt; maskShare +
    /// randomShare</c>, and keeps its token otherwise.
    /// </summary>
    /// <param name="tokens">Original tokens. <c>[N, T]</c> int64.</param>
    /// <param name="selectDraw">Uniform draws in [0, 1). <c>[N, T]</c>.</param>
    /// <param name="actionDraw">Uniform draws in [0, 1). <c>[N, T]</c>.</param>
    /// <param name="randomTokens">Replacement tokens for the random case. <c>[N, T]</c> int64.</param>
    /// <param name="maskId">Id of [mask].</param>
    /// <param name="selectRate">Share of positions selected, in [0, 1]; BERT: 0.15.</param>
    /// <param name="maskShare">Share of selected positions masked, in [0, 1]; BERT: 0.8.</param>
    /// <param name="randomShare">Share of selected positions randomised, in [0, 1 - maskShare]; BERT: 0.1.</param>
    public static MaskedTokens Apply(Tensor tokens, Tensor selectDraw, Tensor actionDraw, Tensor randomTokens, long maskId,
        double selectRate = BertSelectRate, double maskShare = BertMaskShare, double randomShare = BertRandomShare)
    {
        Validate(selectRate, maskShare, randomShare);
        foreach (var (name, t) in new[] { ("selectDraw", selectDraw), ("actionDraw", actionDraw), ("randomTokens", randomTokens) })
            if (!t.shape.SequenceEqual(tokens.shape))
                throw new ArgumentException($"{name} has shape [{string.Join(", ", t.shape)}] but tokens has [{string.Join(", ", tokens.shape)}].", name);
        using var scope = NewDisposeScope();
        var original = tokens.to_type(ScalarType.Int64);
        var selected = selectDraw.lt(selectRate);                                   // [N, T] bool
        var toMask = selected.logical_and(actionDraw.lt(maskShare));                // [N, T]
        var toRandom = selected.logical_and(actionDraw.ge(maskShare)).logical_and(actionDraw.lt(maskShare + randomShare));
        var inputs = where(toMask, full_like(original, maskId), original);
        inputs = where(toRandom, randomTokens.to_type(ScalarType.Int64), inputs);
        var targets = where(selected, original, full_like(original, IgnoreIndex));
        return new MaskedTokens(inputs.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope(), selected.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Draws the corruption from <paramref name="generator"/> and applies it (see <see cref="Apply"/>). Random
    /// replacements are uniform over the regular ids <c>[firstRegularId, vocabSize)</c>, so special tokens are
    /// never inserted. <c>[N, T] -> MaskedTokens of [N, T]</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is outside [0, 1], or the id range is empty.</exception>
    public static MaskedTokens Mask(Tensor tokens, long maskId, int firstRegularId, int vocabSize, Generator generator,
        double selectRate = BertSelectRate, double maskShare = BertMaskShare, double randomShare = BertRandomShare)
    {
        Validate(selectRate, maskShare, randomShare);
        if (firstRegularId < 0 || firstRegularId >= vocabSize)
            throw new ArgumentOutOfRangeException(nameof(firstRegularId), firstRegularId, $"firstRegularId must be in 0..{vocabSize - 1} (vocabSize {vocabSize}).");
        using var scope = NewDisposeScope();
        var selectDraw = rand(tokens.shape, generator: generator);
        var actionDraw = rand(tokens.shape, generator: generator);
        var randomTokens = randint(firstRegularId, vocabSize, tokens.shape, dtype: ScalarType.Int64, generator: generator);
        var m = Apply(tokens, selectDraw, actionDraw, randomTokens, maskId, selectRate, maskShare, randomShare);
        m.Inputs.MoveToOuterDisposeScope();
        m.Targets.MoveToOuterDisposeScope();
        m.Selected.MoveToOuterDisposeScope();
        return m;
    }

    static void Validate(double selectRate, double maskShare, double randomShare)
    {
        if (!(selectRate >= 0 && selectRate <= 1)) throw new ArgumentOutOfRangeException(nameof(selectRate), selectRate, "selectRate must be in [0, 1] (BERT: 0.15).");
        if (!(maskShare >= 0 && maskShare <= 1)) throw new ArgumentOutOfRangeException(nameof(maskShare), maskShare, "maskShare must be in [0, 1] (BERT: 0.8).");
        if (!(randomShare >= 0 && maskShare + randomShare <= 1 + 1e-12))
            throw new ArgumentOutOfRangeException(nameof(randomShare), randomShare, $"randomShare must be in [0, 1 - maskShare] = [0, {1 - maskShare}] (BERT: 0.1).");
    }
}
