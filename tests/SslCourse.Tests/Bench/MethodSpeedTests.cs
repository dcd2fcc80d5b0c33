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
}
