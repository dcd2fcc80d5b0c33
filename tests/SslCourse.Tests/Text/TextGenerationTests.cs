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
}
