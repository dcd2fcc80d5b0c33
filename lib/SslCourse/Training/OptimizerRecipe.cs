using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// How a method is optimised: the optimizer over its parameter groups, one learning-rate schedule per group (in the
/// optimizer's group order, for <see cref="TrainOptions.GroupSchedules"/>) and a line for a checkpoint's manifest.
/// </summary>
/// <param name="Optimizer">the optimizer, built over the method's parameters</param>
/// <param name="GroupSchedules">one schedule per parameter group of <paramref name="Optimizer"/></param>
/// <param name="Description">the recipe in words, with its values</param>
public sealed record OptimizerRecipe(optim.Optimizer Optimizer, IReadOnlyList<Schedule> GroupSchedules, string Description)
{
    /// <summary>The course's shared recipe (every registry method without its own): Adam at <paramref name="learningRate"/>
    /// after a 5% linear warm-up, then a cosine to 0 over the run, with <paramref name="weightDecay"/>.</summary>
    public static OptimizerRecipe Adam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double weightDecay) =>
        new(optim.Adam(parameters, lr: learningRate, weight_decay: weightDecay), [new WarmupCosine(learningRate, warmup: 0.05)],
            FormattableString.Invariant($"Adam, lr {learningRate} (5% warm-up, cosine over the budget), weight decay {weightDecay}"));
}
