using FluentAssertions;
using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class EvaluationTests
{
    [Fact]
    public void NGram_baselines_match_counting_by_hand()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        int v = 4;
        long[] train = [0, 1, 0, 1, 2, 0];
        long[] test = [0, 1, 3, 0];
        // unigram: counts 3,2,1,0 plus one each -> 4,3,2,1 over 10
        double[] p = [0.4, 0.3, 0.2, 0.1];
        double expectedUni = -test.Select(t => Math.Log(p[t])).Average();
        NGramBaseline.UnigramLoss(tensor(train), tensor(test), v).Should().BeApproximately(expectedUni, 1e-9);
        // bigram: naive counts of (previous, next) with add-one per row
        var counts = new double[v, v];
        for (int i = 0; i + 1 < train.Length; i++) counts[train[i], train[i + 1]]++;
        double sum = 0;
        for (int i = 0; i + 1 < test.Length; i++)
        {
            double row = 0;
            for (int j = 0; j < v; j++) row += counts[test[i], j] + 1;
            sum -= Math.Log((counts[test[i], test[i + 1]] + 1) / row);
        }
        NGramBaseline.BigramLoss(tensor(train), tensor(test), v).Should().BeApproximately(sum / (test.Length - 1), 1e-9);
    }

    [Fact]
    public void Held_out_losses_agree_with_the_loss_functions()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = new TransformerLanguageModel(new TransformerOptions(12, 8, 16, 1, 2), Course.Generator(1));
        var windows = randint(2, 12, [10, 8], dtype: ScalarType.Int64, generator: Course.Generator(2));
        double expected;
        using (no_grad()) expected = LanguageModelLoss.Causal(model.call(windows), windows).item<float>();
        LanguageModelEvaluation.CausalLoss(model, windows, batchSize: 3).Should().BeApproximately(expected, 1e-5);
        model.training.Should().BeTrue("evaluation restores the mode it found");

        var mlm = new TransformerLanguageModel(new TransformerOptions(12, 8, 16, 1, 2, Causal: false), Course.Generator(1));
        var (loss, accuracy) = LanguageModelEvaluation.Masked(mlm, windows, 0, 2, Course.Generator(5), batchSize: 4);
        loss.Should().BeApproximately(Math.Log(12), 0.3, "an untrained model is close to uniform");
        accuracy.Should().BeInRange(0, 1);
        LanguageModelEvaluation.Masked(mlm, windows, 0, 2, Course.Generator(5), batchSize: 4).Loss.Should().Be(loss);

        var probs = LanguageModelEvaluation.TokenProbabilities(mlm, [3, 0, 4]);
        probs.shape.Should().Equal(3, 12);
        probs.sum(1).allclose(ones(3), atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void The_underscore_writes_a_mask_in_a_probe()
    {
        var tok = CharTokenizer.FromText("Jacob loved Rachel");
        var ids = tok.Encode("Jacob _____ Rachel");
        ids.Count(i => i == CharTokenizer.MaskId).Should().Be(5);
        tok.Decode(ids).Should().Be("Jacob _____ Rachel");
    }
}
