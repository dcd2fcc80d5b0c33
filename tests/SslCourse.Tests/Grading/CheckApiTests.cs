using FluentAssertions;
using SslCourse.Exercises;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Grading;

/// <summary>The Check API: what passes, what fails and what each failure says.</summary>
public class CheckApiTests
{
    public CheckApiTests() => Course.Init(0);

    static Tensor X() => torch.arange(12, dtype: ScalarType.Float32).reshape(3, 4) / 10;

    [Fact]
    public void A_correct_tensor_passes_briefly()
    {
        var r = Check.Exercise("double").Tensor("doubling", () => X() * 2, () => X() + X()).Done();
        r.Should().Be(new CheckResult("double", true, "✓ double: the check passed"));
        Check.Exercise("d").Tensor("a", () => X(), X).Scalar("b", () => 1.0, 1.0).Done().Message.Should().Be("✓ d: all 2 checks passed");
    }

    [Fact]
    public void A_wrong_shape_is_named_with_both_shapes_and_the_hint()
    {
        var r = Check.Exercise("ntxent").Tensor("loss for 8 pairs", () => torch.ones(8), () => torch.tensor(1f), hint: "average over the pairs.").Done();
        r.Passed.Should().BeFalse();
        r.Message.Should().Be("✗ ntxent: loss for 8 pairs: expected a tensor of shape [] (scalar), got [8]. Hint: average over the pairs.");
    }

    [Fact]
    public void A_wrong_dtype_is_named()
    {
        var r = Check.Exercise("e").Tensor("x", () => X().to_type(ScalarType.Float64), X).Done();
        r.Message.Should().Contain("expected dtype float32, got float64");
    }

    [Fact]
    public void Wrong_values_report_the_largest_error_and_where()
    {
        var r = Check.Exercise("e").Tensor("x", () => { var t = X().clone(); t[1, 2] = torch.tensor(5f); return t; }, X).Done();
        r.Passed.Should().BeFalse();
        r.Message.Should().Contain("1 of 12 values differ").And.Contain("largest absolute error is 4.4 at index [1, 2]")
            .And.Contain("expected 0.6, got 5").And.Contain("relative error 7.333");
    }

    [Fact]
    public void Values_within_tolerance_pass_and_nan_only_matches_nan()
    {
        Check.Exercise("e").Tensor("x", () => X() * (1 + 1e-6), X).Done().Passed.Should().BeTrue();
        Check.Exercise("e").Tensor("x", () => torch.tensor(new[] { float.NaN, 1f }), () => torch.tensor(new[] { float.NaN, 1f })).Done().Passed.Should().BeTrue();
        Check.Exercise("e").Tensor("x", () => torch.tensor(new[] { float.NaN, 1f }), () => torch.tensor(new[] { 0f, 1f })).Done().Message.Should().Contain("1 of 2 values differ");
    }

    [Fact]
    public void A_stub_says_not_implemented_and_other_exceptions_are_reported_not_thrown()
    {
        Check.Exercise("e").Tensor("x", () => throw new NotImplementedException("Exercise e: x"), X).Done().Message
            .Should().Be("✗ e: x: not implemented yet — write your code between BEGIN SOLUTION and END SOLUTION.");
        Check.Exercise("e").Scalar("s", () => throw new InvalidOperationException("boom"), 1).Done().Message
            .Should().Be("✗ e: s: your code threw InvalidOperationException: boom.");
        Check.Exercise("e").Tensor("x", () => null!, X).Done().Message.Should().Contain("expected a tensor of shape [3, 4], got null");
        var disposed = X();
        disposed.Dispose();
        Check.Exercise("e").Tensor("x", () => disposed, X).Done().Passed.Should().BeFalse();
    }

    [Fact]
    public void Scalars_sequences_and_conditions()
    {
        Check.Exercise("s").Scalar("sum", () => 14.0000001, 14).Done().Passed.Should().BeTrue();
        Check.Exercise("s").Scalar("sum", () => 13, 14).Done().Message.Should().Be("✗ s: sum: expected 14, got 13 (absolute error 1, tolerance 0.0014).");
        Check.Exercise("s").Scalar("sum", () => double.NaN, 14).Done().Message.Should().Contain("got NaN");
        Check.Exercise("q").Sequence("evens", () => new[] { 0, 2, 4 }, [0, 2, 4]).Done().Passed.Should().BeTrue();
        Check.Exercise("q").Sequence("evens", () => new[] { 0, 2, 5 }, [0, 2, 4]).Done().Message.Should().Contain("first difference at index 2: expected 4, got 5");
        Check.Exercise("q").Sequence("evens", () => new[] { 0, 2 }, [0, 2, 4]).Done().Message.Should().Contain("expected 3 items [0, 2, 4], got 2 items [0, 2]");
        Check.Exercise("q").Sequence<int>("evens", () => null!, [0]).Done().Message.Should().Contain("got null");
        Check.Exercise("t").True("norm", () => false, "expected unit rows", hint: "divide by the norm.").Done().Message.Should().Be("✗ t: norm: expected unit rows. Hint: divide by the norm.");
    }

    [Fact]
    public void The_first_failing_part_decides_and_later_parts_do_not_run()
    {
        bool ran = false;
        var r = Check.Exercise("p").Scalar("one", () => 1, 1).Scalar("two", () => 3, 2).True("three", () => ran = true, "never").Done();
        r.Message.Should().StartWith("✗ p: two:");
        ran.Should().BeFalse();
    }

    [Fact]
    public void Decreases_trains_and_compares_the_last_quarter_with_the_first_loss()
    {
        var w = torch.nn.Parameter(torch.tensor(3.0f));
        var opt = torch.optim.SGD([w], 0.1);
        double Step()
        {
            opt.zero_grad();
            var loss = (w * w).sum();
            loss.backward();
            opt.step();
            return loss.item<float>();
        }
        Check.Exercise("train").Decreases("loss of w²", Step, 8).Done().Passed.Should().BeTrue();
        Check.Exercise("train").Decreases("flat", () => 1.0, 8).Done().Message.Should().Contain("expected the loss to decrease over 8 steps, but it went from 1 to 1 (mean of the last 2)");
        Check.Exercise("train").Decreases("nan", () => double.NaN, 4).Done().Message.Should().Contain("expected a finite loss, got NaN at step 1 of 4");
        var act = () => Check.Exercise("train").Decreases("one", () => 1.0, 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*steps = 1*");
    }

    [Fact]
    public void Bad_arguments_name_the_value()
    {
        var empty = () => Check.Exercise(" ");
        empty.Should().Throw<ArgumentException>().WithMessage("*exercise id ' '*");
        var tol = () => Check.Exercise("e").Tensor("x", X, X, rtol: -1);
        tol.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rtol = -1*");
        Check.Exercise("e").Done().Passed.Should().BeFalse("a check without parts is an instructor error");
    }

    [Fact]
    public void The_display_is_one_line_of_html_and_the_plain_message()
    {
        var r = new CheckResult("e", false, "✗ e: x: expected <1>, got 2.");
        r.ToString().Should().Be(r.Message);
        SslCourse.Display.CheckDisplay.Html(r).Should().Contain("&lt;1&gt;").And.Contain("#c62828").And.NotContain("\n");
    }
}
