using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Models;
using Xunit;
using static SslCourse.Tests.Losses.TensorArrays;
using static TorchSharp.torch;

namespace SslCourse.Tests.Evaluation;

public class FeatureAndProjectionTests
{
    [Fact]
    public void Extract_runs_in_eval_mode_without_gradients_and_restores_the_mode()
    {
        Course.Init(0);
        using var net = new ConvNet(1, width: 0.25);
        net.train();
        var images = randn(10, 1, 16, 16);
        var f = FeatureExtractor.Extract(net, images, batchSize: 3);
        f.shape.Should().Equal(10, 64);
        f.requires_grad.Should().BeFalse();
        net.training.Should().BeTrue();
        net.eval();
        using (no_grad()) (net.call(images) - f).abs().max().item<float>().Should().BeLessThan(1e-5f, "batching does not change eval-mode features");
    }

    [Fact]
    public void Pca_finds_the_direction_of_largest_variance()
    {
        Course.Init(0);
        var g = Course.Generator(5);
        var z = randn([500, 3], generator: g) * tensor(new float[] { 10, 3, 0.1f }); // variances 100, 9, 0.01
        var rot = linalg.qr(randn([3, 3], generator: g)).Q;                          // a random rotation
        var x = z.matmul(rot.T);                                                      // [500, 3] x [3, 3]
        var p = Projection2D.Pca(x);
        p.X.Length.Should().Be(500);
        var first = D1(z[.., 0]); var second = D1(z[.., 1]);
        Math.Abs(Correlation(p.X, first)).Should().BeGreaterThan(0.99);
        Math.Abs(Correlation(p.Y, second)).Should().BeGreaterThan(0.99);
    }

    [Fact]
    public void Tsne_keeps_clusters_apart()
    {
        Course.Init(0);
        var g = Course.Generator(6);
        var centres = randn([3, 10], generator: g) * 6;
        var y = arange(90) % 3;
        var x = centres[y] + randn([90, 10], generator: g);
        var p = Projection2D.Tsne(x, Course.Generator(7), perplexity: 10, iterations: 400);
        var coords = stack([tensor(p.X), tensor(p.Y)], 1); // [90, 2]
        AllFinite(coords).Should().BeTrue();
        // Euclidean 1-nearest-neighbour in the 2-D map (leave one out) recovers the cluster.
        var labels = D1(y);
        int agree = 0;
        for (int i = 0; i < 90; i++)
        {
            int best = -1; double bestD = double.PositiveInfinity;
            for (int j = 0; j < 90; j++)
            {
                if (j == i) continue;
                double d = Math.Pow(p.X[i] - p.X[j], 2) + Math.Pow(p.Y[i] - p.Y[j], 2);
                if (d < bestD) { bestD = d; best = j; }
            }
            if (labels[best] == labels[i]) agree++;
        }
        (agree / 90.0).Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void Fine_tuning_learns_a_separable_image_task()
    {
        Course.Init(0);
        var g = Course.Generator(8);
        var y = arange(64) % 2;
        var images = rand([64, 1, 16, 16], generator: g) * 0.3 + y.reshape(64, 1, 1, 1).to(ScalarType.Float32) * 0.7; // bright vs dark
        using var net = new ConvNet(1, width: 0.25);
        var result = FineTune.Run(net, 64, 2, images[..48], y[..48], images[48..], y[48..], new FineTuneOptions { Steps = 15, BatchSize = 16, LearningRate = 1e-2, EncoderLrScale = 1 });
        result.TestAccuracy.Should().BeGreaterThan(0.9);
        result.History.CompletedSteps.Should().Be(15);
    }

    static double Correlation(float[] a, double[] b)
    {
        double ma = a.Average(v => (double)v), mb = b.Average();
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < a.Length; i++) { cov += (a[i] - ma) * (b[i] - mb); va += (a[i] - ma) * (a[i] - ma); vb += (b[i] - mb) * (b[i] - mb); }
        return cov / Math.Sqrt(va * vb);
    }
}
