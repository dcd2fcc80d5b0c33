using FluentAssertions;
using SslCourse.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class LanguageModelLossTests
{
    static double LogSoftmaxAt(float[] logits, int offset, int v, long target)
    {
        double max = double.NegativeInfinity;
        for (int j = 0; j < v; j++) max = Math.Max(max, logits[offset + j]);
        double sum = 0;
        for (int j = 0; j < v; j++) sum += Math.Exp(logits[offset + j] - max);
        return logits[offset + target] - max - Math.Log(sum);
    }

    [Fact]
    public void Causal_matches_a_naive_loop_over_next_tokens()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var g = Course.Generator(5);
        int b = 3, t = 7, v = 11;
        var logits = randn([b, t, v], generator: g);
        var tokens = randint(0, v, [b, t], dtype: ScalarType.Int64, generator: g);
        double loss = LanguageModelLoss.Causal(logits, tokens).item<float>();

        var l = logits.data<float>().ToArray();
        var tok = tokens.data<long>().ToArray();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < b; i++)
            for (int j = 0; j + 1 < t; j++)
            {
                // the logits at position j predict the token at j + 1
                sum -= LogSoftmaxAt(l, (i * t + j) * v, v, tok[i * t + j + 1]);
                count++;
            }
        loss.Should().BeApproximately(sum / count, 1e-5);
    }

    [Fact]
    public void Uniform_logits_give_log_V_and_perplexity_V()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var logits = zeros(2, 5, 40);
        var tokens = randint(0, 40, [2, 5], dtype: ScalarType.Int64, generator: Course.Generator(1));
        double loss = LanguageModelLoss.Causal(logits, tokens).item<float>();
        loss.Should().BeApproximately(Math.Log(40), 1e-5);
        LanguageModelLoss.Perplexity(loss).Should().BeApproximately(40, 1e-3);
        LanguageModelLoss.BitsPerToken(loss).Should().BeApproximately(Math.Log2(40), 1e-5);
        var targets = full(2, 5, LanguageModelLoss.IgnoreIndex, dtype: ScalarType.Int64);
        targets[0, 3] = tensor(7L);
        LanguageModelLoss.Masked(logits, targets).item<float>().Should().BeApproximately((float)Math.Log(40), 1e-5f);
    }

    [Fact]
    public void Masked_matches_a_naive_loop_over_selected_positions_only()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var g = Course.Generator(9);
        int b = 4, t = 6, v = 9;
        var logits = randn([b, t, v], generator: g);
        var targets = randint(0, v, [b, t], dtype: ScalarType.Int64, generator: g);
        targets = where(rand([b, t], generator: g).lt(0.4), targets, full_like(targets, LanguageModelLoss.IgnoreIndex));
        double loss = LanguageModelLoss.Masked(logits, targets).item<float>();

        var l = logits.data<float>().ToArray();
        var y = targets.data<long>().ToArray();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < b * t; i++)
        {
            if (y[i] == LanguageModelLoss.IgnoreIndex) continue;
            sum -= LogSoftmaxAt(l, i * v, v, y[i]);
            count++;
        }
        count.Should().BeGreaterThan(0);
        loss.Should().BeApproximately(sum / count, 1e-5);
    }

    [Fact]
    public void One_selected_position_with_known_logits()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        // logits (0, ln 3) at the one selected position, target 1: p = 3/4, loss = -ln(3/4).
        var logits = zeros(1, 2, 2);
        logits[0, 1, 1] = tensor((float)Math.Log(3));
        var targets = tensor(new long[] { LanguageModelLoss.IgnoreIndex, 1 }).reshape(1, 2);
        LanguageModelLoss.Masked(logits, targets).item<float>().Should().BeApproximately((float)-Math.Log(0.75), 1e-6f);
        var none = full(1, 2, LanguageModelLoss.IgnoreIndex, dtype: ScalarType.Int64);
        var x = logits.clone().requires_grad_(true);
        var zero = LanguageModelLoss.Masked(x, none);
        zero.item<float>().Should().Be(0f);
        zero.backward();
        x.grad!.abs().sum().item<float>().Should().Be(0f);
    }

    [Fact]
    public void Shapes_are_checked()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => LanguageModelLoss.Causal(zeros(2, 5, 3), zeros(2, 4, dtype: ScalarType.Int64))).Should().Throw<ArgumentException>().WithMessage("*[2, 5]*");
        FluentActions.Invoking(() => LanguageModelLoss.Causal(zeros(2, 1, 3), zeros(2, 1, dtype: ScalarType.Int64))).Should().Throw<ArgumentException>().WithMessage("*at least 2*");
        FluentActions.Invoking(() => LanguageModelLoss.Masked(zeros(2, 3), zeros(2, 3, dtype: ScalarType.Int64))).Should().Throw<ArgumentException>().WithMessage("*[B, T, V]*");
    }
}
