using FluentAssertions;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class MaskingTests
{
    const long Mask = 0;

    [Fact]
    public void Apply_matches_a_naive_loop_over_positions()
    {
        Course.Init(3);
        using var scope = NewDisposeScope();
        var g = Course.Generator(7);
        var tokens = randint(2, 30, [6, 20], dtype: ScalarType.Int64, generator: g);
        var selectDraw = rand([6, 20], generator: g);
        var actionDraw = rand([6, 20], generator: g);
        var randomTokens = randint(2, 30, [6, 20], dtype: ScalarType.Int64, generator: g);
        using var m = TokenMasking.Apply(tokens, selectDraw, actionDraw, randomTokens, Mask, selectRate: 0.3);

        var tok = tokens.data<long>().ToArray();
        var s = selectDraw.data<float>().ToArray();
        var a = actionDraw.data<float>().ToArray();
        var r = randomTokens.data<long>().ToArray();
        var inputs = m.Inputs.data<long>().ToArray();
        var targets = m.Targets.data<long>().ToArray();
        var selected = m.Selected.data<bool>().ToArray();
        for (int i = 0; i < tok.Length; i++)
        {
            // Straight from BERT (Devlin et al. 2019, section 3.1): select, then 80% [mask], 10% random, 10% unchanged.
            bool sel = s[i] < 0.3;
            long expectedInput = !sel ? tok[i] : a[i] < 0.8 ? Mask : a[i] < 0.9 ? r[i] : tok[i];
            selected[i].Should().Be(sel);
            inputs[i].Should().Be(expectedInput, $"position {i}");
            targets[i].Should().Be(sel ? tok[i] : TokenMasking.IgnoreIndex);
        }
    }

    [Fact]
    public void Closed_form_cases_select_everything_or_nothing()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 5, 6, 7, 8 }).reshape(1, 4);
        var randomTokens = tensor(new long[] { 9, 9, 9, 9 }).reshape(1, 4);
        var zero = zeros(1, 4);
        var action = tensor(new float[] { 0.0f, 0.79f, 0.85f, 0.95f }).reshape(1, 4);
        using var all = TokenMasking.Apply(tokens, zero, action, randomTokens, Mask);
        all.Inputs.data<long>().ToArray().Should().Equal(Mask, Mask, 9, 8);
        all.Targets.data<long>().ToArray().Should().Equal(5, 6, 7, 8);
        using var none = TokenMasking.Apply(tokens, ones(1, 4), action, randomTokens, Mask);
        none.Inputs.data<long>().ToArray().Should().Equal(5, 6, 7, 8);
        none.Targets.data<long>().ToArray().Should().OnlyContain(t => t == TokenMasking.IgnoreIndex);
        none.Selected.any().item<bool>().Should().BeFalse();
    }

    [Fact]
    public void Mask_draws_15_percent_with_80_10_10_and_repeats_with_the_seed()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var tokens = randint(2, 50, [200, 100], dtype: ScalarType.Int64, generator: Course.Generator(1));
        using var m = TokenMasking.Mask(tokens, Mask, firstRegularId: 2, vocabSize: 50, Course.Generator(2));
        double n = tokens.numel();
        var sel = m.Selected;
        double selected = sel.sum().item<long>();
        (selected / n).Should().BeApproximately(0.15, 0.01);
        double masked = m.Inputs.eq(Mask).sum().item<long>();
        double changed = m.Inputs.ne(tokens).logical_and(m.Inputs.ne(Mask)).sum().item<long>();
        double kept = m.Inputs.eq(tokens).logical_and(sel).sum().item<long>();
        (masked / selected).Should().BeApproximately(0.8, 0.02);
        // A random replacement equals the original 1 time in 48, so "changed" slightly undercounts the random share.
        ((changed + kept) / selected).Should().BeApproximately(0.2, 0.02);
        (changed / selected).Should().BeApproximately(0.1 * 47 / 48, 0.015);
        m.Inputs.where(sel, tensor(2L)).min().item<long>().Should().BeGreaterThanOrEqualTo(0);
        m.Inputs.masked_select(sel.logical_and(m.Inputs.ne(Mask))).min().item<long>().Should().BeGreaterThanOrEqualTo(2, "random tokens are never special ids");
        m.Inputs.masked_select(sel.logical_not()).equal(tokens.masked_select(sel.logical_not())).all().item<bool>().Should().BeTrue();
        using var again = TokenMasking.Mask(tokens, Mask, 2, 50, Course.Generator(2));
        again.Inputs.equal(m.Inputs).all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void Bad_rates_and_shapes_are_named()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var tokens = zeros(2, 3, dtype: ScalarType.Int64);
        var g = Course.Generator(0);
        FluentActions.Invoking(() => TokenMasking.Mask(tokens, 0, 2, 10, g, selectRate: 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*selectRate*");
        FluentActions.Invoking(() => TokenMasking.Mask(tokens, 0, 2, 10, g, maskShare: 0.95)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*randomShare*");
        FluentActions.Invoking(() => TokenMasking.Mask(tokens, 0, 10, 10, g)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*firstRegularId*");
        FluentActions.Invoking(() => TokenMasking.Apply(tokens, zeros(3, 2), zeros(2, 3), tokens, 0)).Should().Throw<ArgumentException>().WithMessage("*selectDraw*");
    }
}
