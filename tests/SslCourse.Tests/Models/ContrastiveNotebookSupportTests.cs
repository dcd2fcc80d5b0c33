using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Losses;
using SslCourse.Models;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public class ContrastiveNotebookSupportTests
{
    [Fact]
    public void Colour_histogram_matches_a_pixel_loop_and_sums_to_one()
    {
        Course.Init(0);
        var g = Course.Generator(1);
        using var images = rand(new long[] { 3, 3, 5, 4 }, generator: g);
        const int bins = 3;
        using var h = ColourHistogram.Features(images, bins);
        h.shape.Should().Equal(3, 27);
        var x = images.data<float>().ToArray();
        for (int n = 0; n < 3; n++)
        {
            var expected = new double[27];
            for (int i = 0; i < 20; i++)
            {
                int Level(int c) => Math.Min(bins - 1, (int)Math.Floor(x[((n * 3 + c) * 20) + i] * bins));
                expected[(Level(0) * bins + Level(1)) * bins + Level(2)] += 1.0 / 20;
            }
            for (int b = 0; b < 27; b++) h[n, b].item<float>().Should().BeApproximately((float)expected[b], 1e-6f);
        }
        h.sum(1).data<float>().ToArray().Should().AllSatisfy(s => s.Should().BeApproximately(1f, 1e-5f));
        FluentActions.Invoking(() => ColourHistogram.Features(images, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*bins*");
    }

    [Fact]
    public void Pair_retrieval_finds_identical_rows_and_misses_shifted_ones()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        using var a = randn(new long[] { 16, 8 }, generator: g);
        PairRetrieval.Top1(a, a).Should().Be(1.0);
        using var shifted = a.roll(1, 0);
        PairRetrieval.Top1(a, shifted).Should().Be(0.0);
        // naive loop on noisy copies
        using var b = a + 0.8 * randn(new long[] { 16, 8 }, generator: g);
        var an = nn.functional.normalize(a, dim: 1); var bn = nn.functional.normalize(b, dim: 1);
        int hits = 0;
        for (int i = 0; i < 16; i++)
        {
            int best = -1; double bestSim = double.NegativeInfinity;
            for (int j = 0; j < 16; j++) { double s = (an[i] * bn[j]).sum().item<float>(); if (s > bestSim) { bestSim = s; best = j; } }
            if (best == i) hits++;
        }
        PairRetrieval.Top1(a, b).Should().BeApproximately(hits / 16.0, 1e-9);
    }

    [Fact]
    public void Memory_bank_contrast_is_infonce_against_the_bank_and_writes_queries_back()
    {
        Course.Init(0);
        var model = new MemoryBankContrast(new ConvNet(3, width: 0.25), 64, datasetSize: 20, negatives: 7, projectionDim: 8, hidden: 16,
            temperature: 0.2, generator: Course.Generator(3));
        model.eval(); // fixed BatchNorm statistics so that q can be recomputed
        using var x = rand(4, 3, 16, 16, generator: Course.Generator(4));
        using var idx = tensor(new long[] { 3, 7, 11, 19 });
        using var before = model.Bank.Get(idx);
        // the negatives the model will draw: same generator state replayed
        var replay = Course.Generator(3);
        using var _fill = randn(20, 8, generator: replay); // the bank's fill
        using var negIdx = randint(0, 20, [7], generator: replay);
        Tensor q;
        using (no_grad()) q = model.Project(x);
        using var expectedNeg = model.Bank.Get(negIdx);
        using var expected = InfoNce.Loss(q, before, expectedNeg, 0.2);
        using var loss = model.Loss(x, idx);
        loss.item<float>().Should().BeApproximately(expected.item<float>(), 1e-5f);
        using var after = model.Bank.Get(idx);
        using var blended = nn.functional.normalize(0.5 * before + 0.5 * nn.functional.normalize(q, dim: 1), dim: 1);
        after.allclose(blended, 1e-5, 1e-6).Should().BeTrue("the bank blends the queries in with momentum 0.5");
        FluentActions.Invoking(() => model.Loss(x, tensor(new long[] { 1, 2 }))).Should().Throw<ArgumentException>().WithMessage("*indices*");
    }

    [Fact]
    public void Memory_bank_contrast_lowers_its_loss()
    {
        Course.Init(0);
        var model = new MemoryBankContrast(new ConvNet(3, width: 0.25), 64, datasetSize: 16, negatives: 15, projectionDim: 8, hidden: 16,
            temperature: 0.2, momentum: 0.0, generator: Course.Generator(5));
        var opt = optim.Adam(model.parameters(), 1e-2);
        using var x = rand(16, 3, 16, 16, generator: Course.Generator(6));
        using var idx = arange(16, dtype: ScalarType.Int64);
        var losses = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = model.Loss(x, idx);
            loss.backward();
            opt.step();
            losses.Add(loss.item<float>());
        }
        losses.Skip(9).Average().Should().BeLessThan(losses[1]);
    }
}
