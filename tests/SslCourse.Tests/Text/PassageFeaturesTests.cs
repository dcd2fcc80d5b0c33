using FluentAssertions;
using SslCourse.Models;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class PassageFeaturesTests
{
    static TransformerLanguageModel Small() =>
        new(new TransformerOptions(VocabSize: 20, ContextLength: 8, Dim: 16, Layers: 1, Heads: 2, Causal: false), Course.Generator(3));

    [Fact]
    public void Pooled_averages_the_pooled_windows_of_each_passage()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = Small();
        var tokens = randint(2, 20, [5, 24], dtype: ScalarType.Int64, generator: Course.Generator(4));
        var features = PassageFeatures.Pooled(model, tokens, window: 8, batchSize: 4);   // 15 windows in 4 batches
        features.shape.Should().Equal(5, 16);
        model.training.Should().BeTrue("the model's mode is restored");
        model.eval();
        using (no_grad())
            for (int i = 0; i < 5; i++)
            {
                // naive: each window on its own, the mean of its hidden states, then the mean over the three windows
                var sum = zeros(16);
                for (int w = 0; w < 3; w++) sum += model.Hidden(tokens[i].narrow(0, 8 * w, 8).unsqueeze(0))[0].mean([0]);
                features[i].allclose(sum / 3, 1e-5, 1e-6).Should().BeTrue($"passage {i}");
            }
        PassageFeatures.Pooled(model, tokens.narrow(1, 0, 8), 8).allclose(model.Pooled(tokens.narrow(1, 0, 8)), 1e-5, 1e-6).Should().BeTrue("one window is Pooled");
    }

    [Fact]
    public void Pooled_rejects_windows_that_do_not_fit()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = Small();
        var tokens = zeros([2, 24], dtype: ScalarType.Int64);
        FluentActions.Invoking(() => PassageFeatures.Pooled(model, tokens, 16)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*context*");
        FluentActions.Invoking(() => PassageFeatures.Pooled(model, tokens, 5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*multiple*");
    }

    [Fact]
    public void BagOfTokens_counts_each_token_share()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 2, 2, 3, 0, 4, 4, 4, 4 }).reshape(2, 4);
        var bag = PassageFeatures.BagOfTokens(tokens, 5);
        bag.shape.Should().Equal(2, 5);
        bag[0].data<float>().ToArray().Should().Equal(0.25f, 0f, 0.5f, 0.25f, 0f);
        bag[1].data<float>().ToArray().Should().Equal(0f, 0f, 0f, 0f, 1f);
        FluentActions.Invoking(() => PassageFeatures.BagOfTokens(tokens, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*vocabSize*");
    }

    [Fact]
    public void The_classifier_reads_a_long_passage_as_the_mean_of_its_windows()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = Small();
        var clf = new TransformerClassifier(model, 3, Course.Generator(5));
        clf.eval();
        var tokens = randint(2, 20, [4, 16], dtype: ScalarType.Int64, generator: Course.Generator(6));
        using (no_grad())
        {
            var logits = clf.call(tokens);                                            // [4, 3]
            logits.shape.Should().Equal(4, 3);
            // the head is linear, so averaging the pooled windows equals averaging the head's outputs on each window
            var each = (clf.call(tokens.narrow(1, 0, 8)) + clf.call(tokens.narrow(1, 8, 8))) / 2;
            logits.allclose(each, 1e-5, 1e-6).Should().BeTrue();
        }
        FluentActions.Invoking(() => clf.call(zeros([1, 12], dtype: ScalarType.Int64))).Should().Throw<ArgumentException>().WithMessage("*multiple*");
    }
}
