using SslCourse.Data;
using SslCourse.Models;
using SslCourse.SemiSupervised;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Cli.Bench;

/// <summary>One label draw of <see cref="SemiSupervisedComparison"/>: test accuracy (0..1) per method and after the
/// shared warm-up (every method's starting point), FixMatch's diagnostics over its run (mask rate and accuracy of
/// the confident pseudo-labels, one value per tenth of the run), and the pseudo-label baseline's fixed pseudo-labels:
/// how many, and their accuracy (0..1, against the hidden labels).</summary>
public sealed record SemiSupervisedDraw(IReadOnlyDictionary<string, double> Accuracy, double WarmUpAccuracy, IReadOnlyList<double> MaskRate,
    IReadOnlyList<double> PseudoLabelAccuracy, long FixedPseudoLabels, double FixedPseudoLabelAccuracy);

/// <summary>
/// Notebook 03's comparison at matched steps, with 10 labels per class and the rest of the pool unlabelled: one
/// supervised warm-up on the labels, then the same number of extra steps for each method from the warm-up's weights
/// (supervised only; one round of pseudo-labels, the 100 most confident per class; FixMatch with its recipe,
/// <see cref="FixMatchRecipe"/>; Mean Teacher on the same μ and weak view, scored by its teacher). Every method uses
/// the same ConvNet classifier, Adam from 1e-3 with a cosine decay to 0 over each phase (the warm-up, then each method's
/// steps: FixMatch's paper decays its rate by a cosine too), B = 32 labelled images per step and FixMatch's weak view on
/// the labels. The decay is the comparison's own: notebook 03 keeps a constant rate. With a constant rate a method is
/// scored at whatever its last step left, and a late loss spike on a memorised labelled set (seen in a bench run: one
/// pseudo-label draw fell from 63.6% to 30.8% in its last 50 steps) is then scored as the method's result.
/// </summary>
public static class SemiSupervisedComparison
{
    /// <summary>Every phase's peak learning rate (Adam).</summary>
    public const double LearningRate = 1e-3;

    /// <summary>The methods, in the order of the expected ranking (FixMatch first).</summary>
    public static IReadOnlyList<string> Methods { get; } =
        ["FixMatch (tau 0.95, μ 3)", "Mean Teacher (the teacher, μ 3)", "pseudo-labels (100 most confident per class, one round)", "supervised only"];

    /// <summary>Runs one label draw <paramref name="draw"/> (labels from generator 100 + draw, as the probe table's).</summary>
    /// <param name="pool">labelled pool; 10 labels per class are kept, the rest is unlabelled</param>
    /// <param name="test">the test set</param>
    /// <param name="draw">0-based draw</param>
    /// <param name="warmSteps">supervised warm-up steps</param>
    /// <param name="extraSteps">steps of each method after the warm-up</param>
    /// <param name="width">the classifier's ConvNet width</param>
    public static SemiSupervisedDraw Run(LabeledImages pool, LabeledImages test, int draw, int warmSteps, int extraSteps, double width)
    {
        const int perClass = 10, batch = 32;
        int classes = pool.NumClasses, channels = (int)pool.Images.shape[1];
        using var scope = NewDisposeScope();
        ConvClassifier NewModel() { torch.manual_seed(0); return new ConvClassifier(channels, classes, width); }
        ConvClassifier CopyOf(ConvClassifier m) { var c = NewModel(); ModelUtils.CopyWeights(m, c); return c; }
        var weak = FixMatchRecipe.Weak();
        var (labelled, rest) = LabelSplit.Split(pool, perClass, Course.Generator(100 + draw));
        var (unlabelled, hidden) = (rest.Images, rest.Labels);
        var accuracy = new Dictionary<string, double>();

        var warm = NewModel();
        var decay = new CosineSchedule(LearningRate, extraSteps);
        SelfTraining.Fit(warm, optim.Adam(warm.parameters(), lr: LearningRate), labelled, null, null,
            new SelfTrainingOptions { Steps = warmSteps, BatchSize = batch, Augment = weak.Apply, Seed = draw, ShowProgress = false, Schedule = new CosineSchedule(LearningRate, warmSteps) });
        double warmAccuracy = SelfTraining.Accuracy(warm, test);

        var options = FixMatchRecipe.Options(channels, extraSteps, batch, seed: 50 + draw) with { UnlabelledTruth = hidden, LearningRate = LearningRate, Schedule = decay };
        var fixMatch = CopyOf(warm);
        var history = ConsistencyTraining.FixMatchFit(fixMatch, labelled, unlabelled, options);
        accuracy[Methods[0]] = SelfTraining.Accuracy(fixMatch, test);

        var student = CopyOf(warm);
        var teacher = NewModel();
        ConsistencyTraining.MeanTeacherFit(student, teacher, labelled, unlabelled, options);
        accuracy[Methods[1]] = SelfTraining.Accuracy(teacher, test);

        var pseudoStudent = CopyOf(warm);
        var pseudo = PseudoLabels.TopPerClass(SelfTraining.Predict(warm, unlabelled), 100);
        double pseudoAccuracy = 1 - PseudoLabels.ErrorRate(pseudo, hidden);
        SelfTraining.Fit(pseudoStudent, optim.Adam(pseudoStudent.parameters(), lr: LearningRate), labelled, unlabelled, pseudo,
            new SelfTrainingOptions { Steps = extraSteps, BatchSize = batch, Augment = weak.Apply, Seed = 50 + draw, ShowProgress = false, Schedule = decay });
        accuracy[Methods[2]] = SelfTraining.Accuracy(pseudoStudent, test);

        var supervised = CopyOf(warm);
        SelfTraining.Fit(supervised, optim.Adam(supervised.parameters(), lr: LearningRate), labelled, null, null,
            new SelfTrainingOptions { Steps = extraSteps, BatchSize = batch, Augment = weak.Apply, Seed = 50 + draw, ShowProgress = false, Schedule = decay });
        accuracy[Methods[3]] = SelfTraining.Accuracy(supervised, test);

        return new SemiSupervisedDraw(accuracy, warmAccuracy, history.Metrics["mask rate"].Select(m => m.Value).ToList(),
            history.Metrics["pseudo-label accuracy"].Select(m => m.Value).ToList(), pseudo.Count, pseudoAccuracy);
    }
}
