using System.Globalization;
using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Evaluation;
using SslCourse.Models;
using SslCourse.Pretraining;
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

    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int draws = ctx.Quick ? 1 : 3;
        var shipped = PretrainedEncoder.ListShipped();
        foreach (var dataset in new[] { "toy", "fmnist" })
        {
            using var scope = NewDisposeScope();
            var (pool, test) = Data(dataset, ctx.Quick);
            int classes = pool.NumClasses, channels = (int)pool.Images.shape[1];
            var rows = new List<IReadOnlyList<string>>();
            var encoders = new List<(string Name, Func<nn.Module<Tensor, Tensor>> Make, string Budget, string Seed)>
            {
                ("random init", () => { torch.manual_seed(0); var e = new ConvNet(channels); e.eval(); return e; }, "none", "0"),
            };
            foreach (var path in shipped)
            {
                var info = PretrainedEncoder.ReadInfo(path);
                if (PretrainData.EvaluatedOn(info.Config["dataset"]) != dataset) continue;
                var file = Path.GetFileNameWithoutExtension(path);
                var label = info.Config["dataset"] == "toy-shift" ? $"{file} (pre-trained on the domain-shifted set)" : file;
                encoders.Add((label, () => PretrainedEncoder.Load(path).Encoder, info.Budget, info.Seed.ToString(CultureInfo.InvariantCulture)));
            }
            foreach (var (name, make, budget, seed) in encoders)
            {
                using var inner = NewDisposeScope();
                var encoder = make();
                var fPool = FeatureExtractor.Extract(encoder, pool.Images);
                var fTest = FeatureExtractor.Extract(encoder, test.Images);
                var cells = new List<string> { name };
                foreach (var k in PerClass)
                {
                    var accs = new List<double>();
                    for (int d = 0; d < draws; d++)
                    {
                        var (idx, _) = LabelSplit.Split(pool.Labels, k, Course.Generator(100 + d));
                        var options = new LinearProbeOptions { Seed = d, HeldOut = k < 10 ? 0 : 0.1, MaxEpochs = k < 10 ? 100 : 100 };
                        accs.Add(LinearProbe.Evaluate(fPool.index_select(0, idx), pool.Labels.index_select(0, idx), fTest, test.Labels, classes, options).TestAccuracy);
                    }
                    cells.Add(Format(accs));
                    ctx.Report.Add(new BenchFigure("quality", $"{dataset}: {name}, linear probe, {k} labels per class", 100 * accs.Average(), "%",
                        $"mean of {draws} label draw(s){(draws > 1 ? $", std {100 * Std(accs):0.0}" : "")}; {budget}; seed {seed}"));
                }
                var all = LinearProbe.Evaluate(fPool, pool.Labels, fTest, test.Labels, classes, new LinearProbeOptions { Seed = 0 }).TestAccuracy;
                var knn = Knn.Accuracy(fPool, pool.Labels, fTest, test.Labels, classes, 20);
                cells.Add(Pct(all));
                cells.Add(Pct(knn));
                cells.Add(budget);
                cells.Add(seed);
                rows.Add(cells);
                encoder.Dispose();
            }

            // Supervised from scratch on the same labels: the ConvNet and a linear head trained end to end (crop + flip).
            var scratch = new List<string> { "supervised from scratch (same labels)" };
            var crop = new RandomResizedCrop((int)pool.Images.shape[2], scaleMin: 0.6);
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
                    var encoder = new ConvNet(channels);
                    var g = Course.Generator(2000 + d);
                    int steps = ctx.Quick ? 100 : k switch { 1 => 100, 10 => 300, 100 => 600, _ => 1500 };
                    var result = FineTune.Run(encoder, encoder.OutputDim, classes, images, labels, test.Images, test.Labels,
                        new FineTuneOptions { Steps = steps, BatchSize = 64, LearningRate = 2e-3, EncoderLrScale = 1.0, Seed = d, Augment = x => crop.Apply(x, g) });
                    accs.Add(result.TestAccuracy);
                    encoder.Dispose();
                }
                scratch.Add(Format(accs));
                ctx.Report.Add(new BenchFigure("quality", $"{dataset}: supervised from scratch, {(k < 0 ? "all" : k.ToString(CultureInfo.InvariantCulture))} labels per class", 100 * accs.Average(), "%",
                    $"ConvNet + linear head end to end, Adam, crop + flip; mean of {accs.Count} draw(s)"));
            }
            scratch.Add("n/a");
            scratch.Add("labels only");
            scratch.Add("1000 + draw");
            rows.Add(scratch);
            ctx.Report.Add(new BenchTable("quality", $"{(dataset == "toy" ? "Procedural colour set (ToyObjects)" : "Fashion-MNIST subset")}: test accuracy (%)",
                ["encoder", "probe, 1/class", "probe, 10/class", "probe, 100/class", $"probe, all {pool.Count:N0}", "kNN k=20, all", "pre-training budget", "seed"], rows,
                $"Labelled pool: the first {pool.Count:N0} training images; test: the first {test.Count:N0} test images. Probe cells: mean ± std over {draws} label draw(s) " +
                "(the same draws for every encoder). Encoders are the checkpoints in data/checkpoints/ (their manifests give the command that made them)."));
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
            ],
            "Ours: a 4-layer ConvNet, minutes of 2-core CPU, 32x32 procedural images or 28x28 Fashion-MNIST. The literature: large encoders, GPU-days. Compare orderings, not values."));
        return Task.CompletedTask;
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
