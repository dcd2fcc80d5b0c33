using FluentAssertions;
using SslCourse.Evaluation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Evaluation;

public class RetrievalTests
{
    /// <summary>Nearest neighbours and precision at k written as plain loops over cosine similarities.</summary>
    static (int[][] Neighbours, double[] Precision) Naive(float[][] q, float[][] bank, long[] qLabels, long[] bLabels, int k, bool excludeSelf)
    {
        static double Cos(float[] a, float[] b)
        {
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
            return dot / Math.Sqrt(na) / Math.Sqrt(nb);
        }
        var neighbours = new int[q.Length][];
        var precision = new double[q.Length];
        for (int i = 0; i < q.Length; i++)
        {
            neighbours[i] = Enumerable.Range(0, bank.Length).Where(j => !(excludeSelf && j == i))
                .OrderByDescending(j => Cos(q[i], bank[j])).Take(k).ToArray();
            precision[i] = neighbours[i].Count(j => bLabels[j] == qLabels[i]) / (double)k;
        }
        return (neighbours, precision);
    }

    [Fact]
    public void Neighbours_and_precision_match_a_naive_loop()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var bank = randn([40, 6], generator: g);
        var labels = randint(0, 4, [40], generator: g);
        float[][] Rows(Tensor t) => Enumerable.Range(0, (int)t.shape[0]).Select(i => t[i].data<float>().ToArray()).ToArray();
        var lab = labels.data<long>().ToArray();

        foreach (var excludeSelf in new[] { false, true })
        {
            var got = Retrieval.Neighbours(bank, bank, 5, excludeSelf);
            var (expected, precision) = Naive(Rows(bank), Rows(bank), lab, lab, 5, excludeSelf);
            got.shape.Should().Equal(40, 5);
            for (int i = 0; i < 40; i++) got[i].data<long>().Select(v => (int)v).Should().Equal(expected[i], $"query {i}, excludeSelf {excludeSelf}");
            Retrieval.PrecisionAtK(got, labels, labels).Should().Equal(precision, (a, b) => Math.Abs(a - b) < 1e-6);
        }
        Retrieval.Neighbours(bank, bank, 1)[.., 0].data<long>().Should().Equal(Enumerable.Range(0, 40).Select(i => (long)i), "without exclusion an image is its own nearest neighbour");
    }

    [Fact]
    public void Precision_per_class_averages_within_each_class_and_bad_input_is_named()
    {
        Course.Init();
        var neighbours = tensor(new long[] { 1, 2, 0, 2, 0, 1 }).view(3, 2);      // [3, 2]
        var labels = tensor(new long[] { 0, 0, 1 });
        // query 0 (class 0): neighbours 1 (0), 2 (1) -> 0.5; query 1 (class 0): 0 (0), 2 (1) -> 0.5; query 2 (class 1): 0, 1 -> 0
        Retrieval.PrecisionPerClass(neighbours, labels, labels).Should().Equal(0.5, 0.0);
        FluentActions.Invoking(() => Retrieval.Neighbours(randn(3, 4), randn(5, 4), 5, excludeSelf: true)).Should().Throw<ArgumentException>().WithMessage("*excludeSelf*");
        FluentActions.Invoking(() => Retrieval.Neighbours(randn(3, 4), randn(5, 4), 6)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1..5*");
        FluentActions.Invoking(() => Retrieval.Neighbours(randn(3, 4), randn(5, 3), 2)).Should().Throw<ArgumentException>().WithMessage("*same D*");
    }
}
