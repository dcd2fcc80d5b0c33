using FluentAssertions;
using SslCourse.Shapes;
using Xunit;

namespace SslCourse.Tests.Shapes;

public class ConvexDecompositionTests
{
    public ConvexDecompositionTests() => Course.Init(0);

    static (Vec3[] Points, int[] Labels) Sample(params Primitive[] parts)
    {
        using var u = new UniformSource(11);
        var pts = new List<Vec3>(); var labels = new List<int>();
        for (int k = 0; k < parts.Length; k++)
            for (int i = 0; i < 150; i++)
            {
                var p = parts[k].Sample(u);
                if (parts.Where((q, j) => j != k).Any(q => q.Contains(p))) continue;
                pts.Add(p); labels.Add(k);
            }
        return (pts.ToArray(), labels.ToArray());
    }

    [Fact]
    public void A_single_box_stays_one_piece()
    {
        var (pts, _) = Sample(new Box(0.5, 0.3, 0.2));
        var acd = ConvexDecomposition.Compute(pts, new DecompositionOptions(Segments: 12));
        acd.PieceCount.Should().Be(1);
        acd.PieceConcavity[0].Should().BeLessThan(0.04);
        acd.Segments.Distinct().Count().Should().Be(12);
    }

    [Fact]
    public void A_seat_and_a_back_split_into_two_pure_pieces()
    {
        // An L: a flat seat and an upright back glued along one edge.
        var (pts, labels) = Sample(new Box(0.5, 0.5, 0.05) { Center = new Vec3(0, 0, 0) }, new Box(0.5, 0.05, 0.5) { Center = new Vec3(0, 0.45, 0.55) });
        var acd = ConvexDecomposition.Compute(pts, new DecompositionOptions(Segments: 16));
        acd.PieceCount.Should().BeGreaterThanOrEqualTo(2);
        PieceAgreement.Purity(acd.Pieces, labels).Should().BeGreaterThan(0.9);
        acd.PieceCount.Should().BeLessThan(16);
    }

    [Fact]
    public void Pieces_are_numbered_by_size_and_the_result_repeats()
    {
        var shape = new PartShapeGenerator(0, 256).Generate(0); // a chair
        var a = ConvexDecomposition.Compute(shape.Points, new DecompositionOptions(Segments: 24));
        var b = ConvexDecomposition.Compute(shape.Points, new DecompositionOptions(Segments: 24));
        a.Pieces.Should().Equal(b.Pieces);
        var sizes = Enumerable.Range(0, a.PieceCount).Select(p => a.Pieces.Count(x => x == p)).ToArray();
        sizes.Should().BeInDescendingOrder();
        PieceAgreement.Purity(a.Pieces, shape.Parts).Should().BeGreaterThan(0.8);
        a.PieceCount.Should().BeGreaterThanOrEqualTo(3); // seat, back and legs cannot be one convex piece
    }

    [Fact]
    public void A_larger_threshold_never_gives_more_pieces_here()
    {
        var shape = new PartShapeGenerator(0, 256).Generate(2); // a lamp
        var strict = ConvexDecomposition.Compute(shape.Points, new DecompositionOptions(Segments: 24, Threshold: 0.01));
        var loose = ConvexDecomposition.Compute(shape.Points, new DecompositionOptions(Segments: 24, Threshold: 10));
        // Without a limit only pieces that do not touch stay apart (here at most the shade, whose rim floats free).
        loose.PieceCount.Should().BeLessThanOrEqualTo(2);
        strict.PieceCount.Should().BeGreaterThan(loose.PieceCount);
    }

    [Fact]
    public void Options_are_validated_by_name()
    {
        var act = () => ConvexDecomposition.Compute(new[] { new Vec3(0, 0, 0), new Vec3(1, 0, 0) }, new DecompositionOptions(Threshold: -0.5));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Threshold*-0.5*");
    }

    [Fact]
    public void Over_segmentation_and_neighbours_match_brute_force()
    {
        var shape = new PartShapeGenerator(1, 128).Generate(3);
        var pts = Enumerable.Range(0, shape.Count).Select(shape.Point).ToArray();
        var knn = PointNeighbours.Nearest(pts, 4);
        for (int i = 0; i < pts.Length; i++)
        {
            var expected = Enumerable.Range(0, pts.Length).Where(j => j != i).OrderBy(j => (pts[i] - pts[j]).LengthSquared).ThenBy(j => j).Take(4);
            knn.Skip(4 * i).Take(4).Should().Equal(expected);
        }
        var seg = OverSegmentation.KMeans(pts, 10);
        seg.Distinct().Count().Should().BeLessThanOrEqualTo(10);
        // Every point ends nearest to the mean of its own segment (Lloyd's fixed point, after enough iterations).
        var converged = OverSegmentation.KMeans(pts, 10, iterations: 100);
        var means = converged.Distinct().ToDictionary(s => s, s => pts.Where((_, i) => converged[i] == s).Aggregate(Vec3.Zero, (a, b) => a + b) / converged.Count(x => x == s));
        for (int i = 0; i < pts.Length; i++)
            means.Values.Min(m => (pts[i] - m).LengthSquared).Should().BeApproximately((pts[i] - means[converged[i]]).LengthSquared, 1e-9);
        OverSegmentation.FarthestPoints(pts, 3)[0].Should().Be(0);
    }
}
