using FluentAssertions;
using SslCourse.Shapes;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Shapes;

public class PartIoUTests
{
    public PartIoUTests() => Course.Init(0);

    [Fact]
    public void Closed_form_example_with_an_absent_part()
    {
        int[] truth = { 0, 0, 0, 1, 1, 2 };
        int[] pred = { 0, 0, 1, 1, 1, 1 };
        // part 0: inter 2, union 3; part 1: inter 2, union 4; part 2: inter 0, union 1; part 3: absent in both -> 1.
        var iou = PartIoU.OfShape(pred, truth, new[] { 0, 1, 2, 3 });
        iou.Should().Equal(2.0 / 3, 0.5, 0.0, 1.0);
        using var t = PartIoU.PerPart(tensor(pred.Select(x => (long)x).ToArray()), tensor(truth.Select(x => (long)x).ToArray()), new[] { 0, 1, 2, 3 });
        t.data<float>().ToArray().Select(x => (double)x).Should().Equal(iou, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Evaluate_averages_per_shape_then_per_class()
    {
        var gen = new PartShapeGenerator(0, 64);
        var shapes = gen.Generate(0, 8);
        var perfect = shapes.Select(s => s.Parts.ToArray()).ToList();
        var scores = PartIoU.Evaluate(perfect, shapes);
        scores.InstanceMeanIoU.Should().Be(1);
        scores.ClassMeanIoU.Should().OnlyContain(x => x == 1);
        // Predict every point of the first chair as seat: its IoUs are seat share, 0, 0, and arms (1 if absent).
        var wrong = perfect.ToList();
        wrong[0] = Enumerable.Repeat(0, 64).ToArray();
        var expected = PartIoU.OfShape(wrong[0], shapes[0].Parts, PartCatalog.PartsOf(0)).Average();
        var s2 = PartIoU.Evaluate(wrong, shapes);
        s2.ClassMeanIoU[0].Should().BeApproximately((expected + 1) / 2, 1e-12);
        s2.InstanceMeanIoU.Should().BeApproximately((expected + 7) / 8, 1e-12);
    }
}

public class PieceAgreementTests
{
    [Fact]
    public void Purity_and_pairs_match_definitions()
    {
        int[] pieces = { 0, 0, 0, 1, 1, 2 };
        int[] parts = { 5, 5, 6, 6, 6, 6 };
        PieceAgreement.Purity(pieces, parts).Should().BeApproximately(5.0 / 6, 1e-12);
        // Naive: loop over all pairs.
        int together = 0, alike = 0, both = 0;
        for (int i = 0; i < 6; i++)
            for (int j = i + 1; j < 6; j++)
            {
                bool t = pieces[i] == pieces[j], a = parts[i] == parts[j];
                if (t) together++; if (a) alike++; if (t && a) both++;
            }
        var (precision, recall) = PieceAgreement.Pairs(pieces, parts);
        precision.Should().BeApproximately((double)both / together, 1e-12);
        recall.Should().BeApproximately((double)both / alike, 1e-12);
    }
}
