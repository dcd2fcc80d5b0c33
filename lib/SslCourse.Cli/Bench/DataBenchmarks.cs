using System.Diagnostics;
using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Cli.Bench;

/// <summary>
/// Measurements of the data pipeline, run by hand or by <c>ssl-course bench</c> (not timed unit tests): generation
/// speed of <see cref="ToyObjects"/>, the cost of two SimCLR views against one training step of the course's small
/// ConvNet, and how learnable the procedural set is (a supervised ConvNet against a linear classifier on raw pixels).
/// </summary>
public static class DataBenchmarks
{
    /// <summary>Images per second generating <paramref name="count"/> 32x32 (or <paramref name="size"/>) images, best of
    /// <paramref name="repeats"/> runs (after one warm-up).</summary>
    public static double GenerationImagesPerSecond(int count = 20_000, int size = 32, ToyVariant variant = ToyVariant.Standard, int repeats = 3)
    {
        var world = new ToyObjects(0, size, variant);
        world.Generate(0, 1000).Images.Dispose();
        double best = 0;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            var (x, y) = world.Generate(r * (long)count, count);
            sw.Stop();
            x.Dispose(); y.Dispose();
            best = Math.Max(best, count / sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>Median seconds of the two-view SimCLR augmentation (no blur, as on CIFAR) of a [batch, 3, 32, 32] batch, and
    /// median seconds of one SGD step of the course's <see cref="ConvClassifier"/> on both views (2 x batch images), measured
    /// alternately in one run.</summary>
    public static (double AugmentSeconds, double StepSeconds) AugmentVersusStep(int batch = 256, int repeats = 7)
    {
        using var scope = NewDisposeScope();
        var (x, y) = new ToyObjects(0).Generate(0, batch);
        var recipe = ViewRecipes.SimClr(32, blur: false);
        var g = new Generator(1);
        var model = new ConvClassifier(3, 10);
        var opt = optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        var aug = new List<double>(); var step = new List<double>();
        for (int r = 0; r < repeats + 1; r++)
        {
            using var inner = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var v1 = recipe.Apply(x, g); var v2 = recipe.Apply(x, g);
            sw.Stop();
            if (r > 0) aug.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(cat([v1, v2])), cat([y, y]));
            loss.backward();
            opt.step();
            sw.Stop();
            if (r > 0) step.Add(sw.Elapsed.TotalSeconds);
        }
        return (Median(aug), Median(step));
    }

    /// <summary>Test accuracy of the course's <see cref="ConvClassifier"/> trained supervised (SGD, flips and small crops) and of a linear
    /// classifier on raw pixels, both on <paramref name="train"/> ToyObjects images and tested on <paramref name="test"/>.</summary>
    public static (double ConvNet, double LinearPixels) Learnability(int train = 10_000, int test = 2_000, int epochs = 4, ToyVariant variant = ToyVariant.Standard, int seed = 0)
    {
        using var scope = NewDisposeScope();
        var world = new ToyObjects(seed, variant: variant);
        using var tr = world.Train(train);
        using var te = world.Test(test);
        torch.manual_seed(seed);
        double Fit(nn.Module<Tensor, Tensor> model, int ep, double lr, Func<Tensor, Tensor> prep)
        {
            var opt = optim.SGD(model.parameters(), lr, momentum: 0.9, weight_decay: 5e-4);
            var loader = new DataLoader(tr, 128, seed);
            var sched = optim.lr_scheduler.CosineAnnealingLR(opt, ep * loader.BatchesPerEpoch);
            for (int e = 0; e < ep; e++)
                foreach (var b in loader.Epoch())
                {
                    using var s = NewDisposeScope();
                    model.train();
                    opt.zero_grad();
                    nn.functional.cross_entropy(model.call(prep(b.Images)), b.Labels).backward();
                    opt.step(); sched.step();
                    b.Dispose();
                }
            model.eval();
            using var ng = no_grad();
            using var s2 = NewDisposeScope();
            long correct = 0;
            for (int i = 0; i < te.Count; i += 500)
            {
                int end = Math.Min(te.Count, i + 500);
                correct += model.call(prep(te.Images[i..end])).argmax(1).eq(te.Labels[i..end]).sum().item<long>();
            }
            return (double)correct / te.Count;
        }
        double conv = Fit(new ConvClassifier(3, world.NumClasses), epochs, 0.05, t => t);
        double linear = Fit(nn.Linear(3 * 32 * 32, world.NumClasses), Math.Max(epochs, 10), 0.01, t => t.flatten(1) - 0.5);
        return (conv, linear);
    }

    static double Median(List<double> v) => RoundSummary.MedianOf(v);
}
