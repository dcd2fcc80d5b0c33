namespace SslCourse.Augment;

/// <summary>
/// The greedy maximum-Hamming selection of the jigsaw task (Noroozi and Favaro, ECCV 2016) over an explicit candidate
/// list, for teaching and for sets drawn from any candidates: start with <c>candidates[first]</c>, then repeatedly add
/// the candidate whose smallest Hamming distance to the chosen ones is largest, ties going to the earliest candidate
/// in list order. <see cref="PermutationSet.Greedy"/> is the same rule with all permutations as candidates, scanned
/// from a seeded start.
/// </summary>
public static class GreedyPermutations
{
    /// <summary>Every permutation of 0..n-1 in lexicographic order (n! of them; n in 1..10).</summary>
    public static List<int[]> All(int n)
    {
        if (n < 1 || n > 10) throw new ArgumentOutOfRangeException(nameof(n), n, "n must lie in 1..10.");
        var result = new List<int[]>();
        var p = Enumerable.Range(0, n).ToArray();
        while (true)
        {
            result.Add((int[])p.Clone());
            int i = n - 2;
            while (i >= 0 && p[i] >= p[i + 1]) i--;
            if (i < 0) return result;
            int j = n - 1;
            while (p[j] <= p[i]) j--;
            (p[i], p[j]) = (p[j], p[i]);
            Array.Reverse(p, i + 1, n - i - 1);
        }
    }

    /// <summary>Chooses <paramref name="count"/> of <paramref name="candidates"/> greedily; returns their indices in the
    /// order chosen. Cost: count x candidates Hamming distances.</summary>
    /// <param name="candidates">permutations of equal length</param>
    /// <param name="count">how many to choose (1..candidates)</param>
    /// <param name="first">index of the first choice</param>
    public static int[] Select(IReadOnlyList<int[]> candidates, int count, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (count < 1 || count > candidates.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must lie in 1..{candidates.Count}.");
        if (first < 0 || first >= candidates.Count) throw new ArgumentOutOfRangeException(nameof(first), first, $"first must lie in 0..{candidates.Count - 1}.");
        var minDist = new int[candidates.Count];
        Array.Fill(minDist, int.MaxValue);
        var chosen = new int[count];
        int next = first;
        for (int k = 0; k < count; k++)
        {
            chosen[k] = next;
            minDist[next] = -1;
            if (k == count - 1) break;
            int best = -1, bestDist = -1;
            for (int i = 0; i < candidates.Count; i++)
            {
                if (minDist[i] < 0) continue;
                int d = PermutationSet.Hamming(candidates[i], candidates[next]);
                if (d < minDist[i]) minDist[i] = d;
                if (minDist[i] > bestDist) { bestDist = minDist[i]; best = i; }
            }
            next = best;
        }
        return chosen;
    }

    /// <summary>The same set as <see cref="PermutationSet.Greedy"/> (same seed, same start, same tie rule), computed with
    /// permutations packed 4 bits per element into one integer so that a Hamming distance is a few bit operations:
    /// about ten times faster, for the 1,000-permutation sets of the jigsaw task (length 2..10).</summary>
    public static PermutationSet Greedy(int count, int length = 9, int seed = 0)
    {
        var all = All(length);
        if (count < 1 || count > all.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must lie in 1..{all.Count}.");
        var firstPermutation = PermutationSet.Greedy(1, length, seed).Permutations[0];   // the seeded start
        int start = all.FindIndex(p => p.AsSpan().SequenceEqual(firstPermutation));
        var packed = all.Select(Pack).ToArray();
        ulong low = 0;
        for (int i = 0; i < length; i++) low |= 1UL << (4 * i);            // bit 0 of every nibble
        var minDist = new int[all.Count];
        Array.Fill(minDist, int.MaxValue);
        var chosen = new List<int[]>(count);
        int next = start;
        for (int k = 0; k < count; k++)
        {
            chosen.Add(all[next]);
            minDist[next] = -1;
            if (k == count - 1) break;
            ulong p = packed[next];
            int best = -1, bestDist = -1;
            for (int o = 0; o < all.Count; o++)
            {
                int i = start + o; if (i >= all.Count) i -= all.Count;
                if (minDist[i] < 0) continue;
                ulong x = packed[i] ^ p;
                int d = System.Numerics.BitOperations.PopCount((x | (x >> 1) | (x >> 2) | (x >> 3)) & low);   // nibbles that differ
                if (d < minDist[i]) minDist[i] = d;
                if (minDist[i] > bestDist) { bestDist = minDist[i]; best = i; }
            }
            next = best;
        }
        return PermutationSet.From(chosen);
    }

    static ulong Pack(int[] p)
    {
        ulong v = 0;
        for (int i = 0; i < p.Length; i++) v |= (ulong)p[i] << (4 * i);
        return v;
    }

    /// <summary>The smallest Hamming distance between two of <paramref name="permutations"/> (their length when fewer than two).</summary>
    public static int MinimumDistance(IReadOnlyList<int[]> permutations)
    {
        ArgumentNullException.ThrowIfNull(permutations);
        if (permutations.Count == 0) throw new ArgumentException("permutations is empty.", nameof(permutations));
        int min = permutations[0].Length;
        for (int i = 0; i < permutations.Count; i++)
            for (int j = i + 1; j < permutations.Count; j++)
                min = Math.Min(min, PermutationSet.Hamming(permutations[i], permutations[j]));
        return min;
    }
}
