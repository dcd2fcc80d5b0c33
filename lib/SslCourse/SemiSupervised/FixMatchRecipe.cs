using SslCourse.Augment;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.SemiSupervised;

/// <summary>
/// FixMatch's recipe (Sohn et al., <i>FixMatch: Simplifying Semi-Supervised Learning with Consistency and Confidence</i>,
/// NeurIPS 2020, sections 2.3 and 4): each step takes B labelled and μB unlabelled images (the paper's μ = 7); the weak
/// view is a flip and a translation by up to 12.5% (<see cref="RandomTranslate"/>); the strong view is RandAugment
/// followed by Cutout, here the strongest per-image augmentations the library has (the same translation and flip, a
/// rotation of up to 30 degrees, colour jitter, grayscale, blur and solarization, as RandAugment draws rotations,
/// colour, contrast, brightness, sharpness and solarize ops) followed by <see cref="Cutout"/> of half the side; the
/// confidence threshold is τ = 0.95 and the unlabelled loss has weight 1. The paper trains for 2^20 steps with SGD;
/// the course keeps its Adam and a few hundred steps, which <see cref="ConsistencyTraining.FixMatchFit"/> runs.
/// </summary>
public static class FixMatchRecipe
{
    /// <summary>The paper's unlabelled-to-labelled batch ratio μ.</summary>
    public const int PaperRatio = 7;
    /// <summary>The course's μ on a 2-core CPU: 3 (a step of B = 32 labelled images then sees 32 + 2 x 96 images, about
    /// 2.3 times a step at μ = 1 where 7 would cost 5 times).</summary>
    public const int CpuRatio = 3;

    /// <summary>The weak view: flip (p 0.5) and a translation by up to 12.5% of the side.</summary>
    public static RandomTranslate Weak() => new(maxFraction: 0.125, flipProbability: 0.5);

    /// <summary>The strong view for images of <paramref name="channels"/> channels (1 or 3): the weak view's flip and
    /// translation, a rotation of up to 30 degrees, colour jitter (brightness, contrast 0.4; on colour images also
    /// saturation 0.4 and hue 0.1; p 0.8), grayscale (p 0.2, colour only), Gaussian blur (p 0.5), solarization (p 0.2),
    /// then Cutout of half the side filled with gray. <c>[B, C, H, W]</c> -> <c>[B, C, H, W]</c>.</summary>
    public static Func<Tensor, Generator, Tensor> Strong(int channels)
    {
        var colour = ViewRecipes.ColourDistortion(channels, strength: 0.5);   // jitter 0.4, 0.4, 0.4, 0.1
        return new Compose(Weak(), new RandomRotation(30), colour, new GaussianBlur(0.5), new RandomSolarize(0.2), new Cutout(0.5, fill: 0.5)).Apply;
    }

    /// <summary>The recipe's options for <paramref name="steps"/> steps of <paramref name="batchSize"/> labelled and
    /// <paramref name="ratio"/> x <paramref name="batchSize"/> unlabelled images on <paramref name="channels"/>-channel
    /// images (the other settings, learning rate and Mean Teacher's, keep <see cref="ConsistencyOptions"/>' defaults).</summary>
    public static ConsistencyOptions Options(int channels, int steps, int batchSize = 32, int ratio = CpuRatio, long seed = 0) => new()
    {
        Steps = steps, BatchSize = batchSize, UnlabelledRatio = ratio, Weak = Weak().Apply, Strong = Strong(channels),
        Threshold = Losses.FixMatch.DefaultThreshold, Seed = seed,
    };
}
