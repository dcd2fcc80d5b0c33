using FluentAssertions;
using SslCourse.Models;
using SslCourse.Pretraining;
using SslCourse.Training;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

/// <summary>SimSiam's recipe (Chen and He 2021) piece by piece against hand-written references: the parameter groups,
/// the paper's values, the per-group schedules through the course's loop, and SGD steps against a naive update.</summary>
public class SimSiamRecipeTests
{
    static SimSiam Tiny() => new(new ConvNet(1, width: 0.25), 64, projectionDim: 32, predictorHidden: 16);

    static Tensor Images(Generator g) => rand([8, 1, 16, 16], generator: g);

    [Fact]
    public void The_groups_split_the_predictor_from_the_rest_and_carry_the_papers_values()
    {
        Course.Init(0);
        using var model = Tiny();
        var groups = SimSiamRecipe.Groups(model);
        groups.Should().HaveCount(2);
        var predictor = model.Predictor.parameters().Select(p => p.Handle).ToHashSet();
        groups[1].Select(p => p.Handle).Should().BeEquivalentTo(predictor);
        groups[0].Select(p => p.Handle).Should().NotIntersectWith(predictor);
        groups.SelectMany(g => g).Select(p => p.Handle).Should().BeEquivalentTo(model.TrainableParameters().Select(p => p.Handle));

        SimSiamRecipe.LearningRate(256).Should().Be(0.05);
        SimSiamRecipe.LearningRate(128).Should().Be(0.025);
        SimSiamRecipe.LearningRate(512, baseLearningRate: 0.03).Should().BeApproximately(0.06, 1e-15);
        FluentActions.Invoking(() => SimSiamRecipe.LearningRate(0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*batchSize*");

        var recipe = SimSiamRecipe.For(model, 128);
        var sgd = recipe.Optimizer.Should().BeOfType<SGD>().Subject;
        sgd.ParamGroups.Should().HaveCount(2);
        foreach (var group in sgd.ParamGroups.Cast<SGD.ParamGroup>())
        {
            group.Options.momentum.Should().Be(0.9);
            group.Options.weight_decay.Should().Be(1e-4);
            group.Options.dampening.Should().Be(0);
            group.Options.nesterov.Should().BeFalse();
            group.LearningRate.Should().Be(0.025);
        }
        recipe.GroupSchedules.Should().HaveCount(2);
        recipe.Description.Should().Contain("momentum 0.9").And.Contain("weight decay 0.0001").And.Contain("fixed lr 0.025");

        using var ablation = new SimSiam(new ConvNet(1, width: 0.25), 64, projectionDim: 32, predictorHidden: 16, usePredictor: false);
        SimSiamRecipe.Groups(ablation).Should().ContainSingle();
        SimSiamRecipe.For(ablation, 256).GroupSchedules.Should().ContainSingle();
    }

    [Fact]
    public void Through_the_loop_the_predictor_keeps_its_rate_while_the_rest_follows_the_cosine()
    {
        Course.Init(0);
        var g = Course.Generator(1);
        using var model = Tiny();
        var recipe = SimSiamRecipe.For(model, 256);
        const int steps = 9;
        var seen = new List<(double Others, double Predictor)>();
        var history = Trainer.Run(new TrainOptions { Steps = steps, GroupSchedules = recipe.GroupSchedules, ShowProgress = false }, recipe.Optimizer, _ =>
        {
            var groups = recipe.Optimizer.ParamGroups.ToList();
            seen.Add((groups[0].LearningRate, groups[1].LearningRate));
            var x = Images(g);
            return model.Loss(x + 0.05 * randn_like(x), x + 0.05 * randn_like(x));
        });
        for (int i = 0; i < steps; i++)
        {
            double cosine = 0.05 * 0.5 * (1 + Math.Cos(Math.PI * i / steps));   // the paper's cosine, no warm-up
            seen[i].Others.Should().BeApproximately(cosine, 1e-12, $"step {i}");
            seen[i].Predictor.Should().Be(0.05, $"step {i}");
            history.LearningRate[i].Should().BeApproximately(cosine, 1e-12);
        }
        FluentActions.Invoking(() => Trainer.Run(new TrainOptions { Steps = 1, GroupSchedules = [new ConstantSchedule(0.1)], ShowProgress = false },
                recipe.Optimizer, _ => model.Loss(Images(g), Images(g))))
            .Should().Throw<ArgumentException>().WithMessage("*1 schedule(s) for an optimizer of 2 parameter group(s)*");
    }

    [Fact]
    public void Two_sgd_steps_match_a_naive_momentum_update_with_weight_decay()
    {
        Course.Init(0);
        var g = Course.Generator(2);
        using var model = Tiny();
        var recipe = SimSiamRecipe.For(model, 128);
        var groups = recipe.Optimizer.ParamGroups.ToList();
        // Large rates, different per group, so that weight decay (1e-4 x lr x p) moves the weights well above float error.
        groups[0].LearningRate = 1.0;
        groups[1].LearningRate = 0.5;
        var lrOf = new Dictionary<IntPtr, double>();
        foreach (var p in SimSiamRecipe.Groups(model)[0]) lrOf[p.Handle] = 1.0;
        foreach (var p in SimSiamRecipe.Groups(model)[1]) lrOf[p.Handle] = 0.5;
        var parameters = model.TrainableParameters().ToList();
        var buffers = new Dictionary<IntPtr, Tensor>();
        for (int step = 0; step < 2; step++)
        {
            var x = Images(g);
            recipe.Optimizer.zero_grad();
            model.Loss(x + 0.05 * randn_like(x), x.flip(3)).backward();
            var expected = new Dictionary<IntPtr, Tensor>();
            double withoutDecay = 0;
            using (no_grad())
                foreach (var p in parameters)
                {
                    // PyTorch's SGD written out: d = grad + wd * p; buf = d (first step), else 0.9 buf + d; p -= lr * buf
                    var d = p.grad! + 1e-4 * p;
                    var buf = buffers.TryGetValue(p.Handle, out var b) ? 0.9 * b + d : d.clone();
                    buffers[p.Handle] = buf;
                    expected[p.Handle] = p - lrOf[p.Handle] * buf;
                    if (step == 0) withoutDecay = Math.Max(withoutDecay, (lrOf[p.Handle] * 1e-4 * p).abs().max().item<float>());
                }
            recipe.Optimizer.step();
            foreach (var p in parameters)
                (p.detach() - expected[p.Handle]).abs().max().item<float>().Should().BeLessThan(2e-6f, $"step {step}");
            if (step == 0) withoutDecay.Should().BeGreaterThan(2e-5, "the decay term must be visible above the tolerance");
        }
    }

    [Fact]
    public void The_registry_trains_simsiam_with_its_own_recipe_unless_asked_for_the_shared_one()
    {
        Course.Init(0);
        PretrainMethods.All.Where(m => m.OwnRecipe).Select(m => m.Name).Should().Equal("simsiam");
        var setup = PretrainSetup.For("toy", 3, 0.25, 10, 0) with { Images = TorchSharp.torch.rand(8, 3, 32, 32) };
        foreach (var method in PretrainMethods.All)
        {
            using var scope = NewDisposeScope();
            (method.Build(setup).Recipe != null).Should().Be(method.OwnRecipe, method.Name);
        }
        var data = new SslCourse.Data.ToyObjects(seed: 0, size: 32).Train(32);
        var (_, own, _) = Pretrainer.Prepare(PretrainMethods.Get("simsiam"), setup, data, 16, 2e-3, 1e-6, 0);
        own.Optimizer.Should().BeOfType<SGD>();
        own.Optimizer.ParamGroups.Select(p => p.LearningRate).Should().Equal(0.05 * 16 / 256, 0.05 * 16 / 256);
        var (_, shared, _) = Pretrainer.Prepare(PretrainMethods.Get("simsiam"), setup, data, 16, 2e-3, 1e-6, 0, methodRecipe: false);
        shared.Optimizer.Should().BeOfType<Adam>();
        shared.Description.Should().StartWith("Adam, lr 0.002");
    }
}
