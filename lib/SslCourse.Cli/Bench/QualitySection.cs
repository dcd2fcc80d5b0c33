using System.Globalization;
using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Display;
using SslCourse.Evaluation;
using SslCourse.Models;
using SslCourse.Pretraining;
using SslCourse.SemiSupervised;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Cli.Bench;

/// <summary>
/// The quality section: every shipped checkpoint (data/checkpoints, made by <c>ssl-course pretrain</c>) and a random-init
/// encoder under the course's protocols (linear probe with 1, 10, 100 and all labels per class, kNN with all labels),
/// and supervised training from scratch on the same labels, on the procedural colour set and on Fashion-MNIST;
/// then the literature's numbers with their sources and budgets.
/// </summary>
public static class QualitySection
{
    /// <summary>Labelled pool and test set of each dataset: the first 10,000 training images (or all shipped) and the
    /// first 2,000 test images, seed 0.</summary>
    static (LabeledImages Pool, LabeledImages Test) Data(string dataset, bool quick)
    {
        int pool = quick ? 2_000 : 10_000, test = quick ? 1_000 : 2_000;
        if (dataset == "toy")
        {
            var world = new ToyObjects(seed: 0, size: 32);
            return (world.Train(pool), world.Test(test));
        }
        return (FashionMnist.Load(FashionMnistSplit.Train).Take(pool), FashionMnist.Load(FashionMnistSplit.Test).Take(test));
    }

    static readonly int[] PerClass = [1, 10, 100];

    /// <summary>The width of every encoder in the tables: that of the shipped checkpoints (a random or scratch encoder
    /// of another width would not be the same architecture).</summary>
    const double Width = 0.5;

    /// <summary>The methods the course teaches, in its order; each gets a row on each dataset where it applies.</summary>
    static IReadOnlyList<string> Methods => CourseMethods.All;

    /// <summary>An encoder of a table row: how to build it, what it sees of an image, and where it came from.</summary>
    sealed record Row(string Name, Func<nn.Module<Tensor, Tensor>> Make, Func<Tensor, Tensor> Input, string Budget, string Seed);

    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int draws = ctx.Quick ? 1 : 3;
        foreach (var dataset in new[] { "toy", "fmnist" })
        {
            using var scope = NewDisposeScope();
            var (pool, test) = Data(dataset, ctx.Quick);
            int classes = pool.NumClasses, channels = (int)pool.Images.shape[1];
            var rows = new List<IReadOnlyList<string>>();
            var tenPerClass = new List<(string Name, double Mean)>();
            foreach (var row in Encoders(ctx, dataset, pool, channels))
            {
                using var inner = NewDisposeScope();
                Console.WriteLine($"    {dataset}: probing {row.Name}");
                var encoder = row.Make();
                var fPool = FeatureExtractor.Extract(encoder, row.Input(pool.Images));
                var fTest = FeatureExtractor.Extract(encoder, row.Input(test.Images));
                var cells = new List<string> { row.Name };
                foreach (var k in PerClass)
                {
                    var accs = new List<double>();
                    for (int d = 0; d < draws; d++)
                    {
                        var (idx, _) = LabelSplit.Split(pool.Labels, k, Course.Generator(100 + d));
                        var options = new LinearProbeOptions { Seed = d };   // fewer than MinHeldOut held out: no early stopping
                        accs.Add(LinearProbe.Evaluate(fPool.index_select(0, idx), pool.Labels.index_select(0, idx), fTest, test.Labels, classes, options).TestAccuracy);
                    }
                    cells.Add(Format(accs));
                    if (k == 10) tenPerClass.Add((row.Name, 100 * accs.Average()));
                    ctx.Report.Add(new BenchFigure("quality", $"{dataset}: {row.Name}, linear probe, {k} labels per class", 100 * accs.Average(), "%",
                        $"mean of {draws} label draw(s){(draws > 1 ? $", std {100 * Std(accs):0.0}" : "")}; {row.Budget}; seed {row.Seed}"));
                }
                var all = LinearProbe.Evaluate(fPool, pool.Labels, fTest, test.Labels, classes, new LinearProbeOptions { Seed = 0 }).TestAccuracy;
                var knn = Knn.Accuracy(fPool, pool.Labels, fTest, test.Labels, classes, 20);
                cells.Add(Pct(all));
                cells.Add(Pct(knn));
                cells.Add(row.Budget);
                cells.Add(row.Seed);
                rows.Add(cells);
                encoder.Dispose();
            }

            var scratch = ScratchRow(ctx, dataset, pool, test, draws);
            rows.Add(scratch.Cells);
            tenPerClass.Add(("scratch", scratch.TenPerClass));
            ctx.Report.Add(new BenchTable("quality", $"{Title(dataset)}: test accuracy (%)",
                ["encoder", "probe, 1/class", "probe, 10/class", "probe, 100/class", $"probe, all {pool.Count:N0}", "kNN k=20, all", "pre-training budget", "seed"], rows,
                $"Every encoder is the course's ConvNet at width {Width} (16-32-64-128 channels, 128-d features). Labelled pool: the first {pool.Count:N0} " +
                $"training images; test: the first {test.Count:N0} test images. Probe cells: mean ± std over {draws} label draw(s) (the same draws for every " +
                "encoder). Checkpoints come from data/checkpoints/ (their manifests give the command that made them); methods without a shipped checkpoint " +
                "are pre-trained here, for the budget in the row, with the same library code (`ssl-course pretrain` or the notebooks' `PretextTraining`)."));
            ctx.Report.Add("quality", $"probe10-{dataset}.png", $"{Title(dataset)}: 10 labels per class", Chart.Bars(
                tenPerClass.Select(r => r.Name.Split(" (")[0].Replace($"-{dataset}", "")).ToArray(), [new Series("test accuracy (%)", tenPerClass.Select(r => r.Mean).ToArray())],
                title: $"{Title(dataset)}: 10 labels per class, linear probe (scratch: trained end to end)", yLabel: "%", valueFormat: "0.0").WithSize(1300, 420), ctx.OutDir);
            SemiSupervisedTable(ctx, dataset, pool, test, draws);
        }

        ctx.Report.Add(new BenchTable("quality", "The literature, for scale (not comparable budgets)",
            ["method", "result", "setting and budget", "source"],
            [
                ["Supervised (ImageNet)", "79.9 / 56.8 / 48.0", "PASCAL VOC classification / detection mAP / segmentation mIoU, AlexNet", "the lecture's transfer table"],
                ["Colorization", "65.6 / 46.9 / 35.6", "same", "the lecture (Zhang et al. ECCV 2016)"],
                ["Context prediction", "65.3 / 51.1 / -", "same", "the lecture (Doersch et al. ICCV 2015)"],
                ["Jigsaw", "67.6 / 53.2 / 37.6", "same", "the lecture (Noroozi and Favaro ECCV 2016)"],
                ["Rotation", "73.0 / 54.4 / 39.1", "same", "the lecture (Gidaris et al. ICLR 2018)"],
                ["SimCLR", "90.74", "CIFAR-10 linear (online) top-1, ResNet-18, 1000 epochs on a GPU", "solo-learn README (da Costa et al. JMLR 2022)"],
                ["MoCo v2+", "91.88", "same", "solo-learn README"],
                ["BYOL", "92.58", "same", "solo-learn README"],
                ["SimSiam", "67.7", "ImageNet linear top-1, ResNet-50, 100 epochs, batch 512, 8 GPUs", "Chen and He, CVPR 2021"],
                ["FixMatch", "94.93 / 88.61", "CIFAR-10 test accuracy with 250 / 40 labels (25 / 4 per class), Wide ResNet-28-2, about a million steps on GPUs", "Sohn et al., NeurIPS 2020 (abstract)"],
                ["Mean Teacher", "78.57", "STL-10 with 1,000 labels, in FixMatch's comparison (same network and training for every method)", "Sohn et al., NeurIPS 2020"],
                ["Pseudo-labels", "72.01", "same", "Sohn et al., NeurIPS 2020"],
            ],
            "Ours: a 4-layer ConvNet, minutes of 2-core CPU, 32x32 procedural images or 28x28 Fashion-MNIST. The literature: large encoders, GPU-days. Compare orderings, not values."));
        return Task.CompletedTask;
    }

    static string Title(string dataset) => dataset == "toy" ? "Procedural colour set (ToyObjects)" : "Fashion-MNIST subset";

    /// <summary>The rows of a dataset's table: random init, then every method of the course (its shipped checkpoint, or
    /// a short run made here), then the shipped variants (less or domain-shifted pre-training data).</summary>
    static IEnumerable<Row> Encoders(BenchContext ctx, string dataset, LabeledImages pool, int channels)
    {
        yield return new Row("random init", () => { torch.manual_seed(0); var e = new ConvNet(channels, Width); e.eval(); return e; }, x => x, "none", "0");
        var shipped = PretrainedEncoder.ListShipped()
            .Select(path => (Path: path, Info: PretrainedEncoder.ReadInfo(path)))
            .Where(c => PretrainData.EvaluatedOn(c.Info.Config["dataset"]) == dataset)
            .ToList();
        foreach (var method in Methods)
        {
            var own = shipped.FirstOrDefault(c => c.Info.Method == method && c.Info.Config["dataset"] == dataset
                && Path.GetFileNameWithoutExtension(c.Path) == $"{method}-{dataset}");
            if (own.Path != null)
            {
                yield return new Row(Path.GetFileNameWithoutExtension(own.Path), () => PretrainedEncoder.Load(own.Path).Encoder, x => x, own.Info.Budget,
                    own.Info.Seed.ToString(CultureInfo.InvariantCulture));
                continue;
            }
            if (method == "colorization" && channels != 3)
            {
                Console.WriteLine($"    {dataset}: colorization skipped (grayscale images have no colour to predict)");
                continue;
            }
            Console.WriteLine($"    {dataset}: no shipped {method} checkpoint; pre-training one here");
            yield return TrainHere(ctx, method, dataset, pool, channels);
        }
        foreach (var (path, info) in shipped.Where(c => !Methods.Any(m => Path.GetFileNameWithoutExtension(c.Path) == $"{m}-{dataset}")))
        {
            var file = Path.GetFileNameWithoutExtension(path);
            var label = info.Config["dataset"] == "toy-shift" ? $"{file} (pre-trained on the domain-shifted set)" : file;
            yield return new Row(label, () => PretrainedEncoder.Load(path).Encoder, x => x, info.Budget, info.Seed.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A short pre-training run of a method that has no shipped checkpoint for this dataset: the registry's
    /// methods through <see cref="Pretrainer"/>, the pretext tasks of notebooks 04-06 through <see cref="PretextTraining"/>.</summary>
    static Row TrainHere(BenchContext ctx, string method, string dataset, LabeledImages pool, int channels)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ConvNet encoder;
        Func<Tensor, Tensor> input = x => x;
        int steps, batch;
        if (PretrainMethods.Names.Contains(method))
        {
            (steps, batch) = (ctx.Quick ? 3 : method switch { "supervised" => 400, "rotation" => 300, _ => 600 }, 128);
            var result = Pretrainer.Run(new PretrainOptions
            {
                Method = method, Dataset = dataset, Minutes = null, Steps = steps, BatchSize = batch, Width = Width,
                Images = Math.Min(pool.Count, 10_000), ShowProgress = false,
            });
            encoder = result.Encoder;
        }
        else
        {
            (steps, batch) = (ctx.Quick ? 3 : 800, 64);
            var options = new PretextOptions { Steps = steps, BatchSize = batch, Seed = 0, ShowProgress = false };
            var run = CourseMethods.TrainPretext(method, new ConvNet(channels, Width), pool.Images, options);
            encoder = run.Encoder;
            input = run.Input;
        }
        encoder.eval();
        double epochs = (double)steps * batch / pool.Count;
        string budget = string.Create(CultureInfo.InvariantCulture,
            $"pre-trained in this bench: {steps} steps of {batch} ({epochs:0.0} epochs), {watch.Elapsed.TotalMinutes:0.0} min wall ({get_num_threads()} threads)");
        return new Row($"{method} (short run)", () => encoder, input, budget, "0");
    }

    /// <summary>Supervised training from scratch on the same labels: the ConvNet and a linear head trained end to end
    /// (crop + flip), for 1, 10, 100 and all labels per class: the table row and the mean accuracy (%) with 10 labels per class.</summary>
    static (List<string> Cells, double TenPerClass) ScratchRow(BenchContext ctx, string dataset, LabeledImages pool, LabeledImages test, int draws)
    {
        Console.WriteLine($"    {dataset}: supervised from scratch");
        int classes = pool.NumClasses, channels = (int)pool.Images.shape[1];
        var scratch = new List<string> { "supervised from scratch (same labels)" };
        var crop = new RandomResizedCrop((int)pool.Images.shape[2], scaleMin: 0.6);
        double tenPerClass = double.NaN;
        foreach (var k in PerClass.Append(-1))
        {
            var accs = new List<double>();
            int scratchDraws = k < 0 ? 1 : draws;
            for (int d = 0; d < scratchDraws; d++)
            {
                using var inner = NewDisposeScope();
                Tensor images = pool.Images, labels = pool.Labels;
                if (k > 0)
                {
                    var (idx, _) = LabelSplit.Split(pool.Labels, k, Course.Generator(100 + d));
                    images = pool.Images.index_select(0, idx);
                    labels = pool.Labels.index_select(0, idx);
                }
                torch.manual_seed(1000 + d);
                var encoder = new ConvNet(channels, Width);
                var g = Course.Generator(2000 + d);
                int steps = ctx.Quick ? 100 : k switch { 1 => 100, 10 => 300, 100 => 600, _ => 1500 };
                var result = FineTune.Run(encoder, encoder.OutputDim, classes, images, labels, test.Images, test.Labels,
                    new FineTuneOptions { Steps = steps, BatchSize = 64, LearningRate = 2e-3, EncoderLrScale = 1.0, Seed = d, Augment = x => crop.Apply(x, g) });
                accs.Add(result.TestAccuracy);
                encoder.Dispose();
            }
            scratch.Add(Format(accs));
            if (k == 10) tenPerClass = 100 * accs.Average();
            ctx.Report.Add(new BenchFigure("quality", $"{dataset}: supervised from scratch, {(k < 0 ? "all" : k.ToString(CultureInfo.InvariantCulture))} labels per class", 100 * accs.Average(), "%",
                $"ConvNet + linear head end to end, Adam, crop + flip; mean of {accs.Count} draw(s)"));
        }
        scratch.Add("n/a");
        scratch.Add("labels only");
        scratch.Add("1000 + draw");
        return (scratch, tenPerClass);
    }

    /// <summary>The semi-supervised methods of notebook 03 at matched steps (<see cref="SemiSupervisedComparison"/>), with
    /// 10 labels per class and the rest of the pool unlabelled, and FixMatch's mask rate and pseudo-label accuracy.</summary>
    static void SemiSupervisedTable(BenchContext ctx, string dataset, LabeledImages pool, LabeledImages test, int draws)
    {
        Console.WriteLine($"    {dataset}: semi-supervised (10 labels per class)");
        const int perClass = 10;
        int warmSteps = ctx.Quick ? 5 : 200, extraSteps = ctx.Quick ? 5 : 400;
        var names = SemiSupervisedComparison.Methods;
        var accs = names.ToDictionary(n => n, _ => new List<double>());
        var maskRates = new List<IReadOnlyList<double>>();
        var pseudoAccuracy = new List<IReadOnlyList<double>>();
        for (int d = 0; d < draws; d++)
        {
            var run = SemiSupervisedComparison.Run(pool, test, d, warmSteps, extraSteps, Width);
            foreach (var n in names) accs[n].Add(run.Accuracy[n]);
            maskRates.Add(run.MaskRate);
            pseudoAccuracy.Add(run.PseudoLabelAccuracy);
        }
        var rows = names.Select(n =>
        {
            ctx.Report.Add(new BenchFigure("quality", $"{dataset}: {n}, {perClass} labels per class", 100 * accs[n].Average(), "%",
                $"mean of {draws} draw(s); warm-up {warmSteps} + {extraSteps} steps of 32 labelled (+ 96 unlabelled)"));
            return (IReadOnlyList<string>)[n, Format(accs[n]), $"{warmSteps} + {extraSteps}"];
        }).ToList();
        static string Trace(List<IReadOnlyList<double>> perDraw) => string.Join(", ", Enumerable.Range(0, perDraw.Min(r => r.Count))
            .Select(i => Pct(perDraw.Select(r => r[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average())));
        ctx.Report.Add(new BenchTable("quality", $"{Title(dataset)}: semi-supervised, {perClass} labels per class (%)",
            ["method", "test accuracy", "steps (warm-up + method)"], rows,
            $"Notebook 03's protocol at matched steps: the ConvNet classifier (width {Width}) trained end to end; a supervised warm-up of {warmSteps} steps on the labels " +
            $"(flip + translation), then {extraSteps} more steps for each method from the same weights, with the other {pool.Count - perClass * pool.NumClasses:N0} pool images unlabelled; " +
            $"FixMatch with its recipe (μ {FixMatchRecipe.CpuRatio}, tau 0.95, strong views with Cutout), Mean Teacher on the same μ and weak views. " +
            $"Mean ± std over {draws} label draw(s), the same draws as the probe table. FixMatch's mask rate per tenth of its run (%): {Trace(maskRates)}; " +
            $"accuracy of its confident pseudo-labels (%): {Trace(pseudoAccuracy)}."));
    }

    static string Pct(double a) => (100 * a).ToString("0.0", CultureInfo.InvariantCulture);

    static string Format(List<double> accs) =>
        accs.Count > 1 ? $"{Pct(accs.Average())} ± {Pct(Std(accs))}" : Pct(accs[0]);

    static double Std(List<double> xs)
    {
        if (xs.Count < 2) return 0;
        double m = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1));
    }
}
