using FluentAssertions;
using SslCourse.Augment;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

public class PretextTests
{
    [Fact]
    public void Greedy_permutation_sets_hold_permutations_with_the_reported_minimum_distance()
    {
        var set = PermutationSet.Greedy(12, 9, seed: 3);
        set.Count.Should().Be(12);
        foreach (var p in set.Permutations) p.Order().Should().Equal(Enumerable.Range(0, 9));
        int min = int.MaxValue;
        for (int i = 0; i < 12; i++) for (int j = i + 1; j < 12; j++) min = Math.Min(min, set.Permutations[i].Zip(set.Permutations[j]).Count(t => t.First != t.Second));
        set.MinimumHamming.Should().Be(min);
        set.MinimumHamming.Should().BeGreaterThanOrEqualTo(8, "a dozen of 9! permutations can be almost pairwise disjoint");
        set.Permutations.Select(p => string.Join(",", p)).Distinct().Count().Should().Be(12);
        PermutationSet.Greedy(12, 9, seed: 3).Permutations.Should().BeEquivalentTo(set.Permutations, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Jigsaw_tiles_match_a_per_image_reference()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = rand(3, 2, 12, 12, generator: Course.Generator(1));
        var jig = new Jigsaw(PermutationSet.Greedy(5, 9, 1), gap: 1);
        var (labels, tops, lefts) = jig.Sample(3, 12, Course.Generator(9));
        var (tiles, l2) = jig.Apply(x, Course.Generator(9));
        l2.Same(labels).Should().BeTrue();
        tiles.shape.Should().Equal(3, 9, 2, 3, 3);
        for (int n = 0; n < 3; n++)
        {
            var perm = jig.Set.Permutations[(int)labels[n].item<long>()];
            for (int pos = 0; pos < 9; pos++)
            {
                int src = perm[pos];
                int top = (int)tops[n, src].item<long>(), left = (int)lefts[n, src].item<long>();
                top.Should().BeInRange(src / 3 * 4, src / 3 * 4 + 1, "the tile stays in its cell");
                tiles[n, pos].Same(x[n, .., top..(top + 3), left..(left + 3)]).Should().BeTrue();
            }
        }
    }

    [Fact]
    public void Context_pairs_match_a_per_image_reference()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = rand(16, 3, 32, 32, generator: Course.Generator(2));
        var ctx = new ContextPairs(8, 2, 1);
        var (labels, tops, lefts) = ctx.Sample(16, 32, 32, Course.Generator(4));
        var (centre, neighbour, l2) = ctx.Apply(x, Course.Generator(4));
        l2.Same(labels).Should().BeTrue();
        int[] dy = [-1, -1, -1, 0, 0, 1, 1, 1], dx = [-1, 0, 1, -1, 1, -1, 0, 1];
        for (int n = 0; n < 16; n++)
        {
            int l = (int)labels[n].item<long>();
            int t0 = (int)tops[n, 0].item<long>(), l0 = (int)lefts[n, 0].item<long>(), t1 = (int)tops[n, 1].item<long>(), l1 = (int)lefts[n, 1].item<long>();
            (t1 - t0 - dy[l] * 10).Should().BeInRange(-2, 2); (l1 - l0 - dx[l] * 10).Should().BeInRange(-2, 2);
            centre[n].Same(x[n, .., t0..(t0 + 8), l0..(l0 + 8)]).Should().BeTrue();
            neighbour[n].Same(x[n, .., t1..(t1 + 8), l1..(l1 + 8)]).Should().BeTrue();
        }
    }

    [Fact]
    public void Lab_round_trip_is_within_1e_minus_3_and_known_colours_are_right()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = rand(4, 3, 8, 8, generator: Course.Generator(3), dtype: ScalarType.Float64);
        var lab = Lab.FromRgb(x);
        (Lab.ToRgb(lab) - x).abs().max().item<double>().Should().BeLessThan(1e-3);
        var white = Lab.FromRgb(ones(1, 3, 1, 1, dtype: ScalarType.Float64)).flatten().data<double>().ToArray();
        white[0].Should().BeApproximately(100, 0.01); white[1].Should().BeApproximately(0, 0.01); white[2].Should().BeApproximately(0, 0.01);
        var red = Lab.FromRgb(tensor(new double[] { 1, 0, 0 }, [1, 3, 1, 1])).flatten().data<double>().ToArray();
        red[0].Should().BeApproximately(53.24, 0.05); red[1].Should().BeApproximately(80.09, 0.1); red[2].Should().BeApproximately(67.20, 0.1);
    }

    [Fact]
    public void The_derived_in_gamut_ab_bins_are_261_and_soft_encoding_weights_the_5_nearest()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var bins = AbBins.Default;
        // Zhang et al. report 313; the sRGB gamut sampled at 64 levels reaches 261 cells of grid 10 (see AbBins' remarks)
        bins.Count.Should().Be(261);
        var coarse = AbBins.Derive(levels: 16);
        coarse.Count.Should().BeInRange(200, 261, "a coarser sampling of the cube can only miss bins");
        bins.Centres.abs().max().item<float>().Should().BeLessThanOrEqualTo(110, "sRGB's ab stays within -110..110");
        var ab = tensor(new float[] { 3, -7, 40, 12 }, [1, 2, 1, 2]);   // pixel 0: (a, b) = (3, 40); pixel 1: (-7, 12)
        var enc = bins.SoftEncode(ab);
        enc.shape.Should().Equal(1, bins.Count, 1, 2);
        enc.sum(1).allclose(ones(1, 1, 2)).Should().BeTrue();
        var w = enc[0, .., 0, 0];
        w.gt(0).sum().item<long>().Should().Be(5);
        // reference: the 5 nearest centres, Gaussian weights of sigma 5
        var c = bins.Centres.data<float>().ToArray();
        var d = Enumerable.Range(0, bins.Count).Select(q => (q, d2: Math.Pow(c[2 * q] - 3, 2) + Math.Pow(c[2 * q + 1] - 40, 2))).OrderBy(t => t.d2).Take(5).ToArray();
        var g = d.Select(t => Math.Exp(-t.d2 / 50)).ToArray();
        for (int k = 0; k < 5; k++) w[d[k].q].item<float>().Should().BeApproximately((float)(g[k] / g.Sum()), 1e-5f);
        var prior = bins.Prior(ab);
        prior.sum().item<float>().Should().BeApproximately(1, 1e-6f);
        var rw = bins.RebalanceWeights(bins.Prior(Lab.FromRgb(rand(2, 3, 8, 8, generator: Course.Generator(1)))[.., 1..3]));
        rw.shape.Should().Equal(bins.Count);
        bins.AnnealedMean(enc.clamp_min(1e-9).log(), 1.0).shape.Should().Equal(1, 2, 1, 2);
    }
}
