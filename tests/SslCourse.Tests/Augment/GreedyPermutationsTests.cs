using FluentAssertions;
using SslCourse.Augment;
using Xunit;

namespace SslCourse.Tests.Augment;

public class GreedyPermutationsTests
{
    // Naive reference written from the paper's description: at every step recompute, for every candidate not yet
    // chosen, its minimum distance to all chosen ones; take the largest, the earliest on ties.
    static List<int> NaiveGreedy(List<int[]> candidates, int count, int first)
    {
        var chosen = new List<int> { first };
        while (chosen.Count < count)
        {
            int best = -1, bestDist = -1;
            for (int i = 0; i < candidates.Count; i++)
            {
                if (chosen.Contains(i)) continue;
                int d = chosen.Min(c => candidates[i].Zip(candidates[c]).Count(p => p.First != p.Second));
                if (d > bestDist) { bestDist = d; best = i; }
            }
            chosen.Add(best);
        }
        return chosen;
    }

    [Fact]
    public void All_lists_every_permutation_once_in_lexicographic_order()
    {
        var all = GreedyPermutations.All(4);
        all.Should().HaveCount(24);
        all.Select(p => string.Join("", p)).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        all[0].Should().Equal(0, 1, 2, 3);
        all[^1].Should().Equal(3, 2, 1, 0);
    }

    [Theory]
    [InlineData(5, 12, 0)]
    [InlineData(5, 30, 17)]
    [InlineData(6, 20, 300)]
    public void Select_matches_the_naive_reference(int n, int count, int first)
    {
        var all = GreedyPermutations.All(n);
        GreedyPermutations.Select(all, count, first).Should().Equal(NaiveGreedy(all, count, first));
    }

    [Fact]
    public void PermutationSet_Greedy_is_Select_over_the_candidates_scanned_from_its_seeded_start()
    {
        var all = GreedyPermutations.All(5);
        var firstOfSet = PermutationSet.Greedy(1, 5, seed: 3).Permutations[0];   // the seeded start of the scan
        int start = all.FindIndex(p => p.SequenceEqual(firstOfSet));
        var rotated = all.Skip(start).Concat(all.Take(start)).ToList();
        var viaSelect = GreedyPermutations.Select(rotated, 25, 0).Select(i => rotated[i]).ToList();
        var set = PermutationSet.Greedy(25, 5, seed: 3);
        set.Permutations.Should().BeEquivalentTo(viaSelect, o => o.WithStrictOrdering());
        GreedyPermutations.MinimumDistance(viaSelect).Should().Be(set.MinimumHamming);
    }

    [Theory]
    [InlineData(40, 9, 0)]
    [InlineData(60, 7, 5)]
    [InlineData(120, 5, 2)]
    public void Fast_Greedy_returns_exactly_PermutationSet_Greedy(int count, int length, int seed)
    {
        var fast = GreedyPermutations.Greedy(count, length, seed);
        var slow = PermutationSet.Greedy(count, length, seed);
        fast.Permutations.Should().BeEquivalentTo(slow.Permutations, o => o.WithStrictOrdering());
        fast.MinimumHamming.Should().Be(slow.MinimumHamming);
    }

    [Fact]
    public void MinimumDistance_closed_form_cases()
    {
        GreedyPermutations.MinimumDistance([[0, 1, 2]]).Should().Be(3);
        GreedyPermutations.MinimumDistance([[0, 1, 2], [1, 0, 2], [2, 0, 1]]).Should().Be(2);
        // the cyclic shifts of 0..n-1 differ everywhere
        GreedyPermutations.MinimumDistance([[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1], [3, 0, 1, 2]]).Should().Be(4);
        // greedy on 4 elements reaches 4 disjoint shifts' distance for its first 4 picks
        var all = GreedyPermutations.All(4);
        GreedyPermutations.MinimumDistance(GreedyPermutations.Select(all, 4).Select(i => all[i]).ToList()).Should().Be(4);
    }

    [Fact]
    public void Select_validates_its_arguments()
    {
        var all = GreedyPermutations.All(3);
        FluentActions.Invoking(() => GreedyPermutations.Select(all, 7)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
        FluentActions.Invoking(() => GreedyPermutations.Select(all, 2, 6)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("first");
        FluentActions.Invoking(() => GreedyPermutations.All(11)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("n");
    }
}
