using SslCourse.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// SimSiam's optimisation as Chen and He publish it (<i>Exploring Simple Siamese Representation Learning</i>, CVPR 2021,
/// section 3 "Optimization" and the official code's <c>--fix-pred-lr</c>): SGD with momentum 0.9 and weight decay 1e-4,
/// learning rate <c>lr = 0.05 × batch / 256</c>, a cosine decay (no warm-up) on the encoder and projector, and the
/// predictor at the fixed rate <c>lr</c> (section 4.2, table 1c: a predictor whose rate is not decayed does as well or
/// better, and the paper keeps it for every run). The course's shared Adam recipe collapses SimSiam on the colour set
/// within a few epochs; this one is the method's own in <see cref="Pretraining.PretrainMethods"/> and notebook 09.
/// </summary>
public static class SimSiamRecipe
{
    /// <summary>The paper's base learning rate, for a batch of 256.</summary>
    public const double BaseLearningRate = 0.05;
    /// <summary>SGD's momentum.</summary>
    public const double Momentum = 0.9;
    /// <summary>SGD's weight decay.</summary>
    public const double WeightDecay = 1e-4;

    /// <summary>The paper's linear scaling rule: <c>baseLearningRate × batchSize / 256</c>.</summary>
    /// <param name="batchSize">images per step (each seen in two views)</param>
    /// <param name="baseLearningRate">the rate for a batch of 256</param>
    public static double LearningRate(int batchSize, double baseLearningRate = BaseLearningRate)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (!(baseLearningRate > 0) || double.IsInfinity(baseLearningRate)) throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "baseLearningRate must be positive.");
        return baseLearningRate * batchSize / 256;
    }

    /// <summary>The parameter groups: [0] the encoder and projector (cosine), [1] the predictor (fixed rate). A model
    /// without its predictor (the ablation) has group 0 only.</summary>
    public static IReadOnlyList<IReadOnlyList<Parameter>> Groups(SimSiam model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rest = model.Encoder.parameters().Concat(model.Projector.parameters()).ToList();
        return model.UsePredictor ? [rest, model.Predictor.parameters().ToList()] : [rest];
    }

    /// <summary>The recipe for <paramref name="model"/> trained with batches of <paramref name="batchSize"/>: SGD over
    /// <see cref="Groups"/>, a cosine from <see cref="LearningRate"/> to 0 over the run for group 0 and that rate
    /// held for the predictor's group.</summary>
    public static OptimizerRecipe For(SimSiam model, int batchSize, double baseLearningRate = BaseLearningRate)
    {
        double lr = LearningRate(batchSize, baseLearningRate);
        var groups = Groups(model);
        var optimizer = optim.SGD(groups.Select(g => new SGD.ParamGroup(g, lr: lr, momentum: Momentum, weight_decay: WeightDecay)),
            lr, momentum: Momentum, weight_decay: WeightDecay);
        Schedule[] schedules = groups.Count == 2 ? [new WarmupCosine(lr, warmup: 0), new ConstantSchedule(lr)] : [new WarmupCosine(lr, warmup: 0)];
        return new OptimizerRecipe(optimizer, schedules, FormattableString.Invariant(
            $"SGD (Chen and He 2021): lr {lr} (= {baseLearningRate} x {batchSize}/256), momentum {Momentum}, weight decay {WeightDecay}; cosine to 0 over the budget on encoder and projector, predictor at a fixed lr {lr}"));
    }
}
