namespace SslCourse.Augment;

/// <summary>
/// A set of permutations of 0..n-1 chosen for a large minimum Hamming distance, as for the jigsaw task (Noroozi and
/// Favaro, ECCV 2016): starting from a random permutation, repeatedly add the candidate whose smallest Hamming
/// distance to the chosen ones is largest (ties: the first candidate in lexicographic order after a random
/// start). For n = 9 every one of the 9! = 362,880 permutations is a candidate.
/// </summary>
public sealed class PermutationSet
{
    /// <summary>The permutations: Permutations[i][j] is the source tile shown at position j.</summary>
    public IReadOnlyList<int[]> Permutations { get; }
    /// <summary>The smallest Hamming distance between two permutations of the set.</summary>
    public int MinimumHamming { get; }
    /// <summary>The mean Hamming distance over all pairs.</summary>
    public double MeanHamming { get; }
    /// <summary>Number of permutations.</summary>
    public int Count => Permutations.Count;
    /// <summary>Length of each permutation.</summary>
    public int Length { get; }

    PermutationSet(IReadOnlyList<int[]> perms, int length)
    {
        Permutations = perms; Length = length;
        int min = int.MaxValue; double sum = 0; int pairs = 0;
        for (int i = 0; i < perms.Count; i++)
            for (int j = i + 1; j < perms.Count; j++)
            {
                int d = Hamming(perms[i], perms[j]);
                min = Math.Min(min, d); sum += d; pairs++;
            }
        MinimumHamming = pairs == 0 ? length : min;
        MeanHamming = pairs == 0 ? length : sum / pairs;
    }

    /// <summary>A set from given permutations (each checked to be a permutation of 0..n-1).</summary>
    public static PermutationSet From(IEnumerable<int[]> permutations)
    {
        var perms = permutations.Select(p => (int[])p.Clone()).ToArray();
        if (perms.Length == 0) throw new ArgumentException("at least one permutation is needed.", nameof(permutations));
        int n = perms[0].Length;
        foreach (var p in perms)
            if (p.Length != n || !p.Order().SequenceEqual(Enumerable.Range(0, n)))
                throw new ArgumentException($"[{string.Join(",", p)}] is not a permutation of 0..{n - 1}.", nameof(permutations));
        return new PermutationSet(perms, n);
    }

    /// <summary>Chooses <paramref name="count"/> permutations of 0..<paramref name="length"/>-1 greedily for maximum
    /// minimum Hamming distance; the first one (and the scan's starting point) come from <paramref name="seed"/>.</summary>
    public static PermutationSet Greedy(int count, int length = 9, int seed = 0)
    {
        if (length < 2 || length > 10) throw new ArgumentOutOfRangeException(nameof(length), length, "length must lie in 2..10.");
        var all = AllPermutations(length);
        if (count < 1 || count > all.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must lie in 1..{all.Count}.");
        var rng = new Data.HashRng(seed, 0);   // only picks the start: the set is then a deterministic function of the seed
        int start = rng.Int(all.Count);
        var minDist = new int[all.Count];
        Array.Fill(minDist, int.MaxValue);
        var chosen = new List<int[]>();
        int next = start;
        for (int k = 0; k < count; k++)
        {
            var p = all[next];
            chosen.Add(p);
            minDist[next] = -1;   // never pick the same permutation twice
            int best = -1, bestDist = -1;
            for (int o = 0; o < all.Count; o++)
            {
                int i = (start + o) % all.Count;
                if (minDist[i] < 0) continue;
                int d = Hamming(all[i], p);
                if (d < minDist[i]) minDist[i] = d;
                if (minDist[i] > bestDist) { bestDist = minDist[i]; best = i; }
            }
            if (best < 0) break;
            next = best;
        }
        return new PermutationSet(chosen, length);
    }

    /// <summary>Number of positions where two permutations differ.</summary>
    public static int Hamming(int[] a, int[] b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) d++;
        return d;
    }

    static List<int[]> AllPermutations(int n) => GreedyPermutations.All(n);
}
