using FluentAssertions;
using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public class MethodTests
{
    /// <summary>Two noisy views of the same 16 random images.</summary>
    static (Tensor, Tensor) Views(Generator g)
    {
        var images = rand([16, 1, 16, 16], generator: g);
        return (images + 0.05 * randn([16, 1, 16, 16], generator: g), images + 0.05 * randn([16, 1, 16, 16], generator: g));
    }

    static ConvNet Small() => new(1, width: 0.25);

    [Fact]
    public void UpdateMomentum_matches_the_ema_formula_and_copies_buffers()
    {
        Course.Init(0);
        using var online = Small();
        using var target = Small();
        online.call(randn(4, 1, 16, 16)); // moves the BatchNorm running statistics
        var before = target.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        ModelUtils.UpdateMomentum(online, target, 0.9);
        var on = online.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in target.named_parameters())
        {
            var expected = 0.9 * before[name] + 0.1 * on[name];
            (p - expected).abs().max().item<float>().Should().BeLessThan(1e-6f, name);
        }
        var onBuffers = online.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in target.named_buffers()) b.Equals(onBuffers[name]).Should().BeTrue();
        FluentActions.Invoking(() => ModelUtils.UpdateMomentum(online, target, 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*momentum*");
    }

    [Fact]
    public void SimClr_loss_is_nt_xent_of_the_projections_and_training_lowers_it()
    {
        Course.Init(0);
        var g = Course.Generator(1);
        var (v1, v2) = Views(g);
        var model = new SimClr(Small(), 64, hidden: 64, projectionDim: 32, temperature: 0.5);
        var opt = optim.Adam(model.parameters(), lr: 3e-3);
        var history = Trainer.Run(new TrainOptions { Steps = 25, ShowProgress = false }, opt, _ => model.Loss(v1, v2));
        history.Loss.Skip(19).Average().Should().BeLessThan(history.Loss[0] - 0.1);
        model.call(v1).shape.Should().Equal(16, 64);
    }

    [Fact]
    public void Byol_target_starts_as_a_copy_moves_by_ema_and_training_lowers_the_loss()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        var (v1, v2) = Views(g);
        var byol = new Byol(Small, 64, hidden: 64, projectionDim: 32);
        var target = byol.named_parameters().Where(p => p.name.StartsWith("target_encoder.")).ToList();
        var online = byol.named_parameters().Where(p => p.name.StartsWith("encoder.")).ToDictionary(p => p.name["encoder.".Length..], p => p.parameter);
        foreach (var (name, p) in target) p.Equals(online[name["target_encoder.".Length..]]).Should().BeTrue();
        target.Should().OnlyContain(p => !p.parameter.requires_grad);
        var opt = optim.Adam(byol.TrainableParameters(), lr: 3e-3);
        var history = Trainer.Run(new TrainOptions { Steps = 25, ShowProgress = false }, opt, _ => byol.Loss(v1, v2),
            afterStep: step => byol.UpdateTarget(MomentumSchedule.Cosine(step, 25, 0.9)));
        history.Loss.Skip(19).Average().Should().BeLessThan(history.Loss[0]);
        foreach (var (name, p) in target) p.Equals(online[name["target_encoder.".Length..]]).Should().BeFalse("the target lags behind");
    }

    [Fact]
    public void SimSiam_and_MoCo_train()
    {
        Course.Init(0);
        var g = Course.Generator(3);
        var (v1, v2) = Views(g);
        var simsiam = new SimSiam(Small(), 64, projectionDim: 32, predictorHidden: 16);
        var h1 = Trainer.Run(new TrainOptions { Steps = 25, ShowProgress = false }, optim.Adam(simsiam.parameters(), lr: 3e-3), _ => simsiam.Loss(v1, v2));
        h1.Loss.Skip(19).Average().Should().BeLessThan(h1.Loss[0]);
        h1.Loss.Should().OnlyContain(l => l >= -1.0001 && l <= 1.0001);

        // MoCo: four batches in turn; the queue holds the keys of the two batches before the current one.
        var batches = Enumerable.Range(0, 4).Select(_ => Views(g)).ToList();
        var moco = new MoCo(Small, 64, queueSize: 32, projectionDim: 16, hidden: 32, temperature: 0.2, generator: Course.Generator(4));
        var h2 = Trainer.Run(new TrainOptions { Steps = 32, ShowProgress = false }, optim.Adam(moco.TrainableParameters(), lr: 3e-3),
            step => moco.Loss(batches[step % 4].Item1, batches[step % 4].Item2), afterStep: _ => moco.UpdateTarget(0.9));
        h2.Loss.Skip(24).Average().Should().BeLessThan(h2.Loss.Take(4).Average());
        moco.Queue.Count.Should().Be(32);
    }
}
