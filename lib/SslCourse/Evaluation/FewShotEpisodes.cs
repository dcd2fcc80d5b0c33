using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Evaluation;

/// <summary>
/// Few-shot evaluation by episodes (Vinyals et al., NeurIPS 2016; Snell, Swersky and Zemel, NeurIPS 2017): each episode
/// picks N classes at random ("N-way"), K labelled support samples of each ("K-shot") and Q other samples of each as
/// queries; the queries are classified by the nearest prototype (<see cref="FewShot.Prototypes"/>, cosine). The
/// accuracy of many episodes is averaged and reported with its 95% confidence interval.
/// </summary>
public static class FewShotEpisodes
{
    /// <summary>Draws one episode from <paramref name="generator"/>: classes by a random permutation of the class ids,
    /// then for each chosen class a random permutation of its members, the first K as support and the next Q as queries.</summary>
    /// <param name="labels"><c>[N]</c> int64</param>
    /// <param name="ways">N classes per episode</param>
    /// <param name="shots">K support samples per class</param>
    /// <param name="queries">Q query samples per class</param>
    /// <param name="generator">the episode's randomness</param>
    /// <returns>support and query indices (<c>[ways * shots]</c>, <c>[ways * queries]</c>) and their episode labels
    /// 0..ways-1 (the position of the class in the draw)</returns>
    public static (Tensor Support, Tensor SupportLabels, Tensor Query, Tensor QueryLabels) Sample(Tensor labels, int ways, int shots, int queries, Generator generator)
    {
        if (ways < 2) throw new ArgumentOutOfRangeException(nameof(ways), ways, "ways must be at least 2.");
        if (shots < 1) throw new ArgumentOutOfRangeException(nameof(shots), shots, "shots must be at least 1.");
        if (queries < 1) throw new ArgumentOutOfRangeException(nameof(queries), queries, "queries must be at least 1.");
        using var scope = NewDisposeScope();
        var y = labels.to(ScalarType.Int64);
        int classes = (int)y.max().item<long>() + 1;
        if (ways > classes) throw new ArgumentOutOfRangeException(nameof(ways), ways, $"only {classes} classes in labels.");
        var chosen = randperm(classes, generator: generator)[..ways];
        var s = new List<Tensor>(); var q = new List<Tensor>(); var sl = new List<Tensor>(); var ql = new List<Tensor>();
        for (int w = 0; w < ways; w++)
        {
            var members = y.eq(chosen[w]).nonzero().flatten();                       // [n_c]
            if (members.shape[0] < shots + queries)
                throw new ArgumentException($"class {chosen[w].item<long>()} has {members.shape[0]} samples, fewer than shots + queries = {shots + queries}.", nameof(labels));
            var order = members.index_select(0, randperm(members.shape[0], generator: generator));
            s.Add(order[..shots]); q.Add(order[shots..(shots + queries)]);
            sl.Add(full(shots, w, dtype: ScalarType.Int64)); ql.Add(full(queries, w, dtype: ScalarType.Int64));
        }
        return (cat(s.ToArray(), 0).MoveToOuterDisposeScope(), cat(sl.ToArray(), 0).MoveToOuterDisposeScope(),
                cat(q.ToArray(), 0).MoveToOuterDisposeScope(), cat(ql.ToArray(), 0).MoveToOuterDisposeScope());
    }

    /// <summary>Accuracy (0..1) of one nearest-prototype episode drawn with <see cref="Sample"/>.</summary>
    /// <param name="features"><c>[N, D]</c></param>
    /// <param name="labels"><c>[N]</c></param>
    /// <param name="ways">Classes per episode.</param>
    /// <param name="shots">Labelled examples per class.</param>
    /// <param name="queries">Query examples per class.</param>
    /// <param name="generator">Draws the episode.</param>
    public static double Episode(Tensor features, Tensor labels, int ways, int shots, int queries, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (s, sl, q, ql) = Sample(labels, ways, shots, queries, generator);
        return FewShot.PrototypeAccuracy(features.index_select(0, s), sl, features.index_select(0, q), ql, ways);
    }

    /// <summary>Mean accuracy of <paramref name="episodes"/> episodes and the half-width of its 95% confidence interval
    /// (1.96 standard errors).</summary>
    public static (double Mean, double Ci95) Evaluate(Tensor features, Tensor labels, int ways, int shots, int queries, int episodes, long seed = 0)
    {
        if (episodes < 2) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 2.");
        var g = Course.Generator(seed);
        var acc = Enumerable.Range(0, episodes).Select(_ => Episode(features, labels, ways, shots, queries, g)).ToArray();
        double mean = acc.Average();
        double sd = Math.Sqrt(acc.Sum(a => (a - mean) * (a - mean)) / (acc.Length - 1));
        return (mean, 1.96 * sd / Math.Sqrt(acc.Length));
    }
}
