using FluentAssertions;
using SslCourse.Cli.Bench;
using SslCourse.Pretraining;
using Xunit;

namespace SslCourse.Tests.Bench;

public class MethodSpeedTests
{
    public MethodSpeedTests() => Course.Init(seed: 0);

    [Theory]
    [InlineData("context", "2 patches")]
    [InlineData("moco", "2 views")]
    public void Measure_times_a_real_step_of_registry_and_pretext_methods(string method, string inputs)
    {
        var r = MethodSpeed.Measure(method, batch: 8, steps: 2, warmup: 1, width: 0.25);
        r.Method.Should().Be(method);
        r.Inputs.Should().Be(inputs);
        r.MedianStepSeconds.Should().BePositive();
        r.ImagesPerSecond.Should().BeApproximately(8 / r.MedianStepSeconds, 1e-6);
    }

    [Fact]
    public void Every_method_of_the_course_is_timed_and_unknown_names_are_listed()
    {
        MethodSpeed.Methods.Should().Contain(PretrainMethods.Names).And.Contain(["colorization", "context", "jigsaw"]);
        var act = () => MethodSpeed.Measure("dino");
        act.Should().Throw<ArgumentException>().WithMessage("*'dino'*simclr*");
    }

    [Fact]
    public void Course_methods_are_the_registry_and_unknown_pretext_tasks_are_listed()
    {
        PretrainMethods.PretextTasks.Should().Equal("colorization", "context", "jigsaw");
        var act = () => PretrainMethods.TrainPretext("inpainting", new SslCourse.Models.ConvNet(3, 0.25), TorchSharp.torch.zeros(4, 3, 32, 32), new SslCourse.Training.PretextOptions { Steps = 1 });
        act.Should().Throw<ArgumentException>().WithMessage("*'inpainting'*colorization, context, jigsaw*");
    }

    [Fact]
    public void Measure_times_channels_last_and_strong_views_and_rejects_what_it_cannot_time()
    {
        var r = MethodSpeed.Measure("simclr", batch: 8, steps: 1, warmup: 1, width: 0.25, format: SslCourse.Training.StepFormat.ChannelsLast, views: ViewStrength.Strong);
        r.MedianStepSeconds.Should().BePositive();
        var bf16 = () => MethodSpeed.Measure("simclr", batch: 8, steps: 1, warmup: 0, width: 0.25, format: SslCourse.Training.StepFormat.Bf16);
        bf16.Should().Throw<ArgumentException>().WithMessage("*bf16*fp32 and channels-last*");
        var strongRotation = () => MethodSpeed.Measure("rotation", batch: 8, steps: 1, warmup: 0, width: 0.25, views: ViewStrength.Strong);
        strongRotation.Should().Throw<ArgumentException>().WithMessage("*two-view methods*rotation*");
    }

    [Fact]
    public void The_matched_set_adopts_channels_last_at_the_rule_and_lists_every_run_with_its_levers()
    {
        MatchedBudget.Format(1.3).Should().Be(SslCourse.Training.StepFormat.ChannelsLast);
        MatchedBudget.Format(1.29).Should().Be(SslCourse.Training.StepFormat.Fp32);
        MatchedBudget.Steps(0.12).Should().Be(1500);
        var toy = MatchedRun.On("toy").ToList();
        toy.Select(r => r.Method).Should().Equal([.. PretrainMethods.Names, "simclr", "simclr"]);
        toy[^2].Width.Should().Be(1.0);
        toy[^1].Views.Should().Be(ViewStrength.Strong);
        MatchedRun.On("fmnist").Select(r => r.Method).Should().NotContain("colorization").And.HaveCount(PretrainMethods.Names.Count + 1);
    }
}
