using FluentAssertions;
using SslCourse.Models;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class TextGenerationTests
{
    [Fact]
    public void Temperature_rescales_logits_before_the_softmax()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0f, (float)Math.Log(2) });
        TextGeneration.Distribution(logits, 1.0).data<float>().ToArray().Should().BeEquivalentTo(new[] { 1f / 3, 2f / 3 }, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        // temperature 0.5 squares the odds: 1 : 4
        TextGeneration.Distribution(logits, 0.5)[1].item<float>().Should().BeApproximately(0.8f, 1e-6f);
        // a very high temperature approaches uniform
        TextGeneration.Distribution(logits, 1e6)[0].item<float>().Should().BeApproximately(0.5f, 1e-5f);
        FluentActions.Invoking(() => TextGeneration.Distribution(logits, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*temperature*");
    }

    [Fact]
    public void LogProbability_is_the_sum_of_next_token_log_probabilities_and_sampling_repeats()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = new TransformerLanguageModel(new TransformerOptions(15, 10, 16, 1, 2), Course.Generator(1));
        int[] context = [3, 4, 5];
        int[] continuation = [6, 7];
        double expected = Math.Log(TextGeneration.NextTokenProbabilities(model, context)[6].item<float>())
                        + Math.Log(TextGeneration.NextTokenProbabilities(model, [3, 4, 5, 6])[7].item<float>());
        TextGeneration.LogProbability(model, context, continuation).Should().BeApproximately(expected, 1e-4);
        var a = TextGeneration.Generate(model, context, 20, 1.0, Course.Generator(8));
        var b = TextGeneration.Generate(model, context, 20, 1.0, Course.Generator(8));
        a.Should().Equal(b).And.HaveCount(20).And.OnlyContain(t => t >= 0 && t < 15);
        TextGeneration.NextTokenProbabilities(model, Enumerable.Range(0, 14).Select(i => i % 15).ToArray()).sum().item<float>().Should().BeApproximately(1f, 1e-5f);
        FluentActions.Invoking(() => TextGeneration.LogProbability(model, [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6])).Should().Throw<ArgumentException>().WithMessage("*context length 10*");
    }

    [Fact]
    public void Sampling_past_the_context_length_reads_only_positions_the_causal_loss_trains()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = new TransformerLanguageModel(new TransformerOptions(15, 8, 16, 1, 2), Course.Generator(1));
        // The causal loss on windows of 8 tokens trains predictions at positions 0..6: poison position 7's embedding.
        // Causal attention keeps position 7 from touching the outputs at earlier positions, so only a sampler that
        // reads position 7 sees the NaNs.
        using (no_grad())
            model.named_parameters().Single(p => p.name == "wpe.weight").parameter[7].fill_(float.NaN);
        TextGeneration.PredictionWindow(model).Should().Be(7);

        var greedy = TextGeneration.Generate(model, [1, 2, 3], 30, 0.0, Course.Generator(2));
        var sampled = TextGeneration.Generate(model, [1, 2, 3], 30, 1.0, Course.Generator(2));
        greedy.Should().HaveCount(30).And.OnlyContain(t => t >= 0 && t < 15);
        sampled.Should().HaveCount(30).And.OnlyContain(t => t >= 0 && t < 15);
        TextGeneration.NextTokenProbabilities(model, Enumerable.Range(0, 20).Select(i => i % 15).ToArray())
            .isnan().any().item<bool>().Should().BeFalse("a 20-token context is cropped to the last 7 tokens");
        double logp = TextGeneration.LogProbability(model, [1, 2, 3], [4, 5, 6, 7, 8]);   // 8 tokens: predictions at 2..6
        double.IsFinite(logp).Should().BeTrue();
        FluentActions.Invoking(() => TextGeneration.LogProbability(model, [1, 2, 3], [4, 5, 6, 7, 8, 9]))
            .Should().Throw<ArgumentException>("a ninth token would be predicted from position 7, which the loss never trains");

        // The poisoned position is really there: reading the model at position 7 gives NaN.
        model.eval();
        using (no_grad())
            model.call(arange(8, dtype: ScalarType.Int64).unsqueeze(0))[0, 7].isnan().any().item<bool>().Should().BeTrue();
    }
}
