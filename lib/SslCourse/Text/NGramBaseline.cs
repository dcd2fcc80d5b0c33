using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>
/// Counting baselines for a language model's perplexity: the unigram model (token frequencies, no context) and the
/// bigram model (frequencies of the next token given the previous one), both with add-one (Laplace) smoothing,
/// estimated on training ids and scored on held-out ids.
/// </summary>
public static class NGramBaseline
{
    /// <summary>Mean negative log-likelihood (nats per token) of <paramref name="test"/> under add-one smoothed
    /// unigram frequencies of <paramref name="train"/>. <c>[L1], [L2] -> double</c>.</summary>
    public static double UnigramLoss(Tensor train, Tensor test, int vocabSize)
    {
        Check(train, test, vocabSize);
        using var scope = NewDisposeScope();
        var counts = train.to_type(ScalarType.Int64).bincount(null, minlength: vocabSize).to_type(ScalarType.Float64) + 1.0;  // [V]
        var logp = (counts / counts.sum()).log();                                                                         // [V]
        return -logp.index_select(0, test.to_type(ScalarType.Int64)).mean().item<double>();
    }

    /// <summary>Mean negative log-likelihood (nats per token) of tokens 1.. of <paramref name="test"/> given the token
    /// before, under add-one smoothed bigram counts of <paramref name="train"/>. <c>[L1], [L2] -> double</c>.</summary>
    public static double BigramLoss(Tensor train, Tensor test, int vocabSize)
    {
        Check(train, test, vocabSize);
        if (train.shape[0] < 2 || test.shape[0] < 2) throw new ArgumentException("bigrams need at least 2 tokens in train and test.");
        using var scope = NewDisposeScope();
        var tr = train.to_type(ScalarType.Int64);
        var te = test.to_type(ScalarType.Int64);
        long n = tr.shape[0], m = te.shape[0];
        var pairs = tr.narrow(0, 0, n - 1) * vocabSize + tr.narrow(0, 1, n - 1);                                         // [L1-1] previous*V + next
        var counts = pairs.bincount(null, minlength: vocabSize * vocabSize).to_type(ScalarType.Float64).view(vocabSize, vocabSize) + 1.0; // [V, V]
        var logp = (counts / counts.sum(1, keepdim: true)).log();                                                        // rows: p(next | previous)
        var testPairs = te.narrow(0, 0, m - 1) * vocabSize + te.narrow(0, 1, m - 1);                                     // [L2-1]
        return -logp.flatten().index_select(0, testPairs).mean().item<double>();
    }

    static void Check(Tensor train, Tensor test, int vocabSize)
    {
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabSize must be at least 1.");
        if (train.dim() != 1 || test.dim() != 1) throw new ArgumentException("train and test must be 1-D token streams [L].");
    }
}
