using FluentAssertions;
using SslCourse.Evaluation;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Evaluation;

public class FewShotEpisodeTests
{
    [Fact]
    public void Episode_has_k_support_and_q_disjoint_queries_per_chosen_class()
    {
        Course.Init(0);
        var labels = arange(60).remainder(6);                     // 6 classes of 10
        var (s, sl, q, ql) = FewShotEpisodes.Sample(labels, ways: 3, shots: 2, queries: 4, Course.Generator(1));
        s.shape.Should().Equal([6]); q.shape.Should().Equal([12]);
        var sIdx = s.data<long>().ToArray(); var qIdx = q.data<long>().ToArray();
        sIdx.Intersect(qIdx).Should().BeEmpty();
        var y = labels.data<long>().ToArray();
        for (int w = 0; w < 3; w++)
        {
            var supportClasses = sIdx.Where((_, i) => sl[i].item<long>() == w).Select(i => y[i]).Distinct().ToArray();
            var queryClasses = qIdx.Where((_, i) => ql[i].item<long>() == w).Select(i => y[i]).Distinct().ToArray();
            supportClasses.Should().HaveCount(1); queryClasses.Should().Equal(supportClasses);
        }
        FluentActions.Invoking(() => FewShotEpisodes.Sample(labels, 3, 8, 4, Course.Generator(1))).Should().Throw<ArgumentException>().WithMessage("*fewer than shots + queries = 12*");
    }

    [Fact]
    public void Episode_accuracy_matches_a_naive_loop()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        var labels = arange(100).remainder(5);
        var features = nn.functional.one_hot(labels, 5).to(ScalarType.Float32) + 0.8 * randn(100, 5, generator: g); // noisy classes
        var (s, sl, q, ql) = FewShotEpisodes.Sample(labels, 4, 3, 5, Course.Generator(3));
        // naive: prototypes as means of normalised support rows, cosine nearest by loops
        int correct = 0;
        for (int i = 0; i < q.shape[0]; i++)
        {
            var x = features[q[i]]; var xn = x / x.norm();
            int best = -1; double bestSim = double.NegativeInfinity;
            for (int w = 0; w < 4; w++)
            {
                var p = zeros(5);
                for (int j = 0; j < s.shape[0]; j++) if (sl[j].item<long>() == w) { var f = features[s[j]]; p += f / f.norm() / 3; }
                double sim = (xn * p).sum().item<float>() / p.norm().item<float>();
                if (sim > bestSim) { bestSim = sim; best = w; }
            }
            if (best == ql[i].item<long>()) correct++;
        }
        FewShotEpisodes.Episode(features, labels, 4, 3, 5, Course.Generator(3)).Should().BeApproximately(correct / 20.0, 1e-9);
        var (mean, ci) = FewShotEpisodes.Evaluate(randn(100, 8, generator: g), labels, 5, 1, 5, 300, seed: 4);
        mean.Should().BeInRange(0.15, 0.25, "random features give chance accuracy");
        ci.Should().BeInRange(0.005, 0.05);
    }
}
