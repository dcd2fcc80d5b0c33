using FluentAssertions;
using SslCourse.Cli.Bench;
using SslCourse.Pretraining;
using SslCourse.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public class StepFormatTests
{
    [Fact]
    public void Names_round_trip_and_an_unknown_name_lists_the_valid_ones()
    {
        foreach (var f in Enum.GetValues<StepFormat>()) StepFormats.Parse(StepFormats.Name(f)).Should().Be(f);
        FluentActions.Invoking(() => StepFormats.Parse("fp16")).Should().Throw<ArgumentException>().WithMessage("*'fp16'*fp32, bf16, channels-last, bf16-channels-last*");
    }

    [Fact]
    public void Channels_last_keeps_shape_and_values_with_nhwc_strides_and_a_convolution_computes_the_same()
    {
        Course.Init(0);
        var x = rand([2, 3, 8, 8], generator: Course.Generator(1));
        var nhwc = StepFormats.Prepare(x, StepFormat.ChannelsLast);
        nhwc.shape.Should().Equal(2, 3, 8, 8);
        nhwc.stride().Should().Equal(192, 1, 24, 3);
        nhwc.eq(x).all().item<bool>().Should().BeTrue();
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        (conv.call(nhwc) - conv.call(x)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        StepFormats.Prepare(x, StepFormat.Bf16).dtype.Should().Be(ScalarType.BFloat16);

        // One channel (Fashion-MNIST): stride 1 on the channel, so that the convolutions run, and stay, in channels-last.
        var gray = rand([2, 1, 8, 8], generator: Course.Generator(2));
        var grayNhwc = StepFormats.Prepare(gray, StepFormat.ChannelsLast);
        grayNhwc.stride().Should().Equal(64, 1, 8, 1);
        grayNhwc.eq(gray).all().item<bool>().Should().BeTrue();
        using var grayConv = nn.Conv2d(1, 4, 3, padding: 1);
        var grayOut = grayConv.call(grayNhwc);
        grayOut.stride().Should().Equal(new long[] { 256, 1, 32, 4 }, "the convolution keeps the channels-last layout");
        (grayOut - grayConv.call(gray)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        var labels = tensor(new long[] { 1, 2 });
        StepFormats.Prepare(labels, StepFormat.Bf16ChannelsLast).dtype.Should().Be(ScalarType.Int64, "labels are not images");
    }

    [Fact]
    public void The_bf16_copy_computes_the_gradient_and_the_fp32_master_takes_the_step_as_a_hand_written_reference_does()
    {
        Course.Init(0);
        using var master = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        using var work = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        master.train(); work.train();
        var copy = new Bf16WorkingCopy(master, work);
        work.parameters().Should().OnlyContain(p => p.dtype == ScalarType.BFloat16);
        var x = randn([8, 4], generator: Course.Generator(2));
        var before = master.parameters().Select(p => p.detach().clone()).ToList();
        var opt = optim.SGD(master.parameters(), 0.1);

        copy.Pull();
        opt.zero_grad();
        work.call(x.to(ScalarType.BFloat16)).square().mean().backward();
        copy.Push();
        opt.step();

        // The reference: the same bf16 forward and backward on a copy of the bf16-rounded weights, then w -= lr * grad in fp32.
        using var reference = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        reference.train();
        using (no_grad()) foreach (var (r, b) in reference.parameters().Zip(before)) r.copy_(b);
        reference.to(ScalarType.BFloat16);
        reference.call(x.to(ScalarType.BFloat16)).square().mean().backward();
        foreach (var ((m, b), r) in master.parameters().Zip(before).Zip(reference.parameters()))
        {
            m.dtype.Should().Be(ScalarType.Float32);
            var expected = b - 0.1 * r.grad!.to(ScalarType.Float32);
            (m - expected).abs().max().item<float>().Should().BeLessThan(1e-6f);
            (m - b).abs().max().item<float>().Should().BeGreaterThan(0, "the master moved by an fp32 step");
        }

        // A second step: the master's gradient is that step's alone (the copy's were zeroed by Push, as the optimizer
        // zeroes only the master's).
        copy.Pull();
        opt.zero_grad();
        var x2 = randn([8, 4], generator: Course.Generator(3));
        work.call(x2.to(ScalarType.BFloat16)).square().mean().backward();
        copy.Push();
        using var second = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        second.train();
        using (no_grad()) foreach (var (r, m) in second.parameters().Zip(master.parameters())) r.copy_(m);
        second.to(ScalarType.BFloat16);
        second.call(x2.to(ScalarType.BFloat16)).square().mean().backward();
        foreach (var (m, r) in master.parameters().Zip(second.parameters()))
            (m.grad! - r.grad!.to(ScalarType.Float32)).abs().max().item<float>().Should().BeLessThan(1e-6f, "gradients must not accumulate across steps");

        var runningMean = ((TorchSharp.Modules.BatchNorm1d)work[1]).running_mean!;
        copy.Finish();
        ((TorchSharp.Modules.BatchNorm1d)master[1]).running_mean!.allclose(runningMean.to(ScalarType.Float32)).Should().BeTrue("the copy's BatchNorm statistics end in the master");
        FluentActions.Invoking(() => new Bf16WorkingCopy(master, nn.Linear(4, 3))).Should().Throw<ArgumentException>().WithMessage("*another instance*");
    }

    [Theory]
    [InlineData("simclr", "bf16")]
    [InlineData("byol", "bf16-channels-last")]
    [InlineData("rotation", "channels-last")]
    [InlineData("jigsaw", "fp32")]
    public void Pretrain_trains_in_a_format_and_saves_an_fp32_encoder_that_records_it(string method, string format)
    {
        Course.Init(0);
        var result = Pretrainer.Run(new PretrainOptions { Method = method, Steps = 3, Minutes = null, Images = 64, BatchSize = 16, Width = 0.25, ShowProgress = false, Format = StepFormats.Parse(format) });
        result.History.Loss.Should().HaveCount(3).And.OnlyContain(l => double.IsFinite(l));
        result.Encoder.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32);
        result.Info.Config["step_format"].Should().Be(format);
        if (format == "fp32") result.Info.Budget.Should().NotContain(" in ");
        else result.Info.Budget.Should().Contain($"steps of 16 in {format},");
        result.Info.Metrics["knn"].Should().BeInRange(0, 1);
    }

    [Fact]
    public void Every_format_of_the_bench_step_runs()
    {
        foreach (var format in Enum.GetValues<StepFormat>())
        {
            var r = StepBenchmarks.SimClrStep(batch: 8, steps: 1, warmup: 1, width: 0.25, format: format);
            (double.IsFinite(r.ImagesPerSecond) && r.ImagesPerSecond > 0).Should().BeTrue(format.ToString());
        }
    }
}
