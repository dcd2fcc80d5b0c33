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
/// The quality section: every method's matched-budget checkpoint (data/checkpoints/*-matched.pt, made by
/// scripts/pretrain-matched.sh: the same encoder, batch and wall budget, <see cref="MatchedBudget"/>) and a random-init
/// encoder under the course's protocols (linear probe with 1, 10, 100 and all labels per class, kNN with all labels),
/// supervised training from scratch on the same labels, fine-tuning of the best encoder, the levers of the +10 goal
/// (a wider encoder, stronger views, self-distillation) and the semi-supervised methods, on the procedural colour set
/// and on Fashion-MNIST; the goals the course sets itself, judged from these numbers (and, where an expected ordering
/// inverts, the numbers that say why); the other shipped checkpoints; then the literature's numbers with their sources
/// and budgets.
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

    /// <summary>The width of every encoder in the tables: that of the matched checkpoints.</summary>
    const double Width = MatchedBudget.Width;

    /// <summary>Points by which the best self-supervised encoder should beat supervised training from scratch with 10
    /// labels per class.</summary>
    const double GainGoal = 10;

    /// <summary>An encoder of a table row: its method ("random" for random init), how to build it, what it sees of an
    /// image, where it came from, and its checkpoint (null for random init).</summary>
    sealed record Row(string Method, string Name, Func<ConvNet> Make, Func<Tensor, Tensor> Input, string Budget, string Seed, string? Path);

    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int draws = ctx.Quick ? 1 : 3;
        var goals = new List<IReadOnlyList<string>>();
        foreach (var dataset in new[] { "toy", "fmnist" })
        {
            using var scope = NewDisposeScope();
            var (pool, test) = Data(dataset, ctx.Quick);
            int classes = pool.NumClasses, channels = (int)pool.Images.shape[1];
            var rows = new List<IReadOnlyList<string>>();
            var tenPerClass = new List<(Row Row, List<double> Accs)>();
            foreach (var row in Matched(dataset, channels))
            {
                using var inner = NewDisposeScope();
                Console.WriteLine($"    {dataset}: probing {row.Name}");
                var (cells, ten) = ProbeRow(row, pool, test, draws, dataset, ctx);
                tenPerClass.Add((row, ten));
                rows.Add(cells);
            }

            var scratch = EndToEnd(pool, test, draws, ctx.Quick, ScratchEncoder(channels, Width), x => x, encoderLrScale: 1.0);
            rows.Add(["supervised from scratch (same labels)", .. scratch.Select(kv => Format(kv.Value)), "n/a", "labels only", "1000 + draw"]);
            foreach (var (k, accs) in scratch)
                ctx.Report.Add(new BenchFigure("quality", $"{dataset}: supervised from scratch, {(k < 0 ? "all" : k.ToString(CultureInfo.InvariantCulture))} labels per class", 100 * accs.Average(), "%",
                    $"ConvNet + linear head end to end, Adam, crop + flip; mean of {accs.Count} draw(s)"));

            var selfSupervised = tenPerClass.Where(r => r.Row.Method is not ("random" or "supervised")).ToList();
            var best = selfSupervised.MaxBy(r => r.Accs.Average());
            List<double>? fineTuned = null, distilled = null;
            if (best.Row is { } bestRow)
            {
                Console.WriteLine($"    {dataset}: fine-tuning {bestRow.Name} with 10 labels per class, then self-distilling it on the unlabelled pool");
                var selfTrained = new List<double>();
                fineTuned = EndToEnd(pool, test, draws, ctx.Quick, _ => bestRow.Make(), bestRow.Input, encoderLrScale: 0.1, only: 10,
                    then: (d, encoder, head) => selfTrained.Add(Distil(bestRow, encoder, head, pool, test, d, ctx.Quick)))[10];
                distilled = selfTrained;
                rows.Add([$"{bestRow.Name}, fine-tuned (encoder lr x0.1)", "", Format(fineTuned), "", "", "", bestRow.Budget, bestRow.Seed]);
                ctx.Report.Add(new BenchFigure("quality", $"{dataset}: {bestRow.Name} fine-tuned, 10 labels per class", 100 * fineTuned.Average(), "%",
                    $"the scratch recipe, encoder at 0.1x the head's learning rate; mean of {fineTuned.Count} draw(s)"));
            }
            ctx.Report.Add(new BenchTable("quality", $"{Title(dataset)}: test accuracy (%) at the matched budget",
                ["encoder", "probe, 1/class", "probe, 10/class", "probe, 100/class", $"probe, all {pool.Count:N0}", "kNN k=20, all", "pre-training budget (steps, epochs, wall)", "seed"], rows,
                $"Every encoder is the course's ConvNet at width {Width} (16-32-64-128 channels, 128-d features), pre-trained by scripts/pretrain-matched.sh for " +
                $"{MatchedBudget.Minutes} minutes of the quiet 2-core reference (a fixed step count per method, batch {MatchedBudget.Batch}, in fp32 or, where its step was at least {StepFormats.AdoptionSpeedup}x faster, channels-last; the manifests in data/checkpoints/ " +
                $"give each command). Labelled pool: the first {pool.Count:N0} training images; test: the first {test.Count:N0} test images. Probe cells: mean ± std over " +
                $"{draws} label draw(s) (the same draws for every encoder). Scratch and fine-tuning: ConvNet + linear head end to end with crop + flip, Adam 2e-3, " +
                "300 steps of 64 with 10 labels per class (100, 600 and 1,500 steps with 1, 100 and all)."));
            ctx.Report.Add("quality", $"probe10-{dataset}.png", $"{Title(dataset)}: 10 labels per class", Chart.Bars(
                tenPerClass.Select(r => r.Row.Method).Append("scratch").ToArray(), [new Series("test accuracy (%)", tenPerClass.Select(r => 100 * r.Accs.Average()).Append(100 * scratch[10].Average()).ToArray())],
                title: $"{Title(dataset)}: 10 labels per class, linear probe at the matched budget (scratch: trained end to end)", yLabel: "%", valueFormat: "0.0").WithSize(1300, 420), ctx.OutDir);

            var levers = Levers(ctx, dataset, pool, test, draws, channels, scratch[10], best.Row, fineTuned, distilled);
            var semi = SemiSupervisedTable(ctx, dataset, pool, test, ctx.Quick ? 1 : 2);
            goals.AddRange(Goals(dataset, tenPerClass, scratch[10], fineTuned, levers, semi));
            OtherShipped(ctx, dataset, pool, test);
        }

        ctx.Report.Add(new BenchTable("quality", "Goals at the matched budget, judged from the tables above",
            ["goal", "dataset", "verdict", "the numbers"], goals,
            "Spreads are the sample standard deviations over the label draws; a margin counts when it exceeds the larger spread (the notebooks' claim rule)."));
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

    /// <summary>The rows of a dataset's table: random init, then every method's matched-budget checkpoint.</summary>
    /// <exception cref="FileNotFoundException">a matched checkpoint is missing (scripts/pretrain-matched.sh makes them)</exception>
    static IEnumerable<Row> Matched(string dataset, int channels)
    {
        yield return new Row("random", "random init", () => { torch.manual_seed(0); var e = new ConvNet(channels, Width); e.eval(); return e; }, x => x, "none", "0", null);
        foreach (var method in PretrainMethods.Names.Where(m => MatchedBudget.Datasets(m).Contains(dataset)))
        {
            var path = PretrainedEncoder.Shipped(method, dataset, "matched");
            if (!File.Exists(path)) throw new FileNotFoundException($"the matched-budget checkpoint '{path}' is missing; scripts/pretrain-matched.sh makes it.", path);
            var info = PretrainedEncoder.ReadInfo(path);
            yield return new Row(method, Path.GetFileNameWithoutExtension(path), () => PretrainedEncoder.Load(path).Encoder, PretrainedEncoder.Input(info.Config),
                info.Budget, info.Seed.ToString(CultureInfo.InvariantCulture), path);
        }
    }

    /// <summary>The probe cells of one encoder (1, 10, 100 and all labels per class, kNN), and its accuracies with 10 labels per class.</summary>
    static (List<string> Cells, List<double> Ten) ProbeRow(Row row, LabeledImages pool, LabeledImages test, int draws, string dataset, BenchContext ctx)
    {
        int classes = pool.NumClasses;
        var encoder = row.Make();
        var fPool = FeatureExtractor.Extract(encoder, row.Input(pool.Images));
        var fTest = FeatureExtractor.Extract(encoder, row.Input(test.Images));
        var cells = new List<string> { row.Name };
        var ten = new List<double>();
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
            if (k == 10) ten = accs;
            ctx.Report.Add(new BenchFigure("quality", $"{dataset}: {row.Name}, linear probe, {k} labels per class", 100 * accs.Average(), "%",
                $"mean of {draws} label draw(s){(draws > 1 ? $", std {100 * Std(accs):0.0}" : "")}; {row.Budget}; seed {row.Seed}"));
        }
        cells.Add(Pct(LinearProbe.Evaluate(fPool, pool.Labels, fTest, test.Labels, classes, new LinearProbeOptions { Seed = 0 }).TestAccuracy));
        cells.Add(Pct(Knn.Accuracy(fPool, pool.Labels, fTest, test.Labels, classes, 20)));
        cells.Add(row.Budget);
        cells.Add(row.Seed);
        encoder.Dispose();
        return (cells, ten);
    }

    /// <summary>The fresh encoder of supervised training from scratch for label draw d: a <see cref="ConvNet"/> of
    /// <paramref name="width"/> initialised from seed 1000 + d.</summary>
    static Func<int, ConvNet> ScratchEncoder(int channels, double width) => d => { torch.manual_seed(1000 + d); return new ConvNet(channels, width); };

    /// <summary>Encoder + linear head trained end to end on the same label draws as the probes (crop + flip, Adam 2e-3,
    /// batch 64): accuracies per labels-per-class (-1: all labels, one draw).</summary>
    /// <param name="make">the encoder of draw d (a fresh one per draw: training changes it)</param>
    /// <param name="input">what the encoder sees of an image</param>
    /// <param name="encoderLrScale">the encoder's learning rate as a fraction of the head's</param>
    /// <param name="only">train only this many labels per class</param>
    /// <param name="then">called with each draw's trained encoder and head, before the encoder is disposed</param>
    static Dictionary<int, List<double>> EndToEnd(LabeledImages pool, LabeledImages test, int draws, bool quick, Func<int, ConvNet> make,
        Func<Tensor, Tensor> input, double encoderLrScale, int? only = null, Action<int, ConvNet, LinearClassifier>? then = null)
    {
        var crop = new RandomResizedCrop((int)pool.Images.shape[2], scaleMin: 0.6);
        var result = new Dictionary<int, List<double>>();
        var testImages = input(test.Images);
        foreach (var k in only is { } o ? [o] : PerClass.Append(-1))
        {
            var accs = result[k] = [];
            for (int d = 0; d < (k < 0 ? 1 : draws); d++)
            {
                using var inner = NewDisposeScope();
                Tensor images = pool.Images, labels = pool.Labels;
                if (k > 0)
                {
                    var (idx, _) = LabelSplit.Split(pool.Labels, k, Course.Generator(100 + d));
                    images = pool.Images.index_select(0, idx);
                    labels = pool.Labels.index_select(0, idx);
                }
                var encoder = make(d);
                var g = Course.Generator(2000 + d);
                int steps = quick ? 100 : k switch { 1 => 100, 10 => 300, 100 => 600, _ => 1500 };
                var fine = FineTune.Run(encoder, encoder.OutputDim, pool.NumClasses, input(images), labels, testImages, test.Labels,
                    new FineTuneOptions { Steps = steps, BatchSize = 64, LearningRate = 2e-3, EncoderLrScale = encoderLrScale, Seed = d, Augment = x => crop.Apply(x, g) });
                accs.Add(fine.TestAccuracy);
                then?.Invoke(d, encoder, fine.Classifier);
                fine.Classifier.Dispose();
                encoder.Dispose();
            }
        }
        return result;
    }

    /// <summary>The goals of the matched budget for one dataset, each as a row: goal, dataset, verdict, numbers.</summary>
    static IEnumerable<IReadOnlyList<string>> Goals(string dataset, List<(Row Row, List<double> Accs)> tenPerClass, List<double> scratch,
        List<double>? fineTuned, IReadOnlyList<(string Lever, double Gain)> levers, SemiSupervisedOutcome outcome)
    {
        var semi = outcome.Accuracy;
        static Measured M(string name, List<double> accs) => new(name, accs.Select(a => 100 * a).ToList());
        var random = M("random init", tenPerClass.First(r => r.Row.Method == "random").Accs);
        var claims = tenPerClass.Where(r => r.Row.Method is not ("random" or "supervised"))
            .Select(r => Claim.Exceeds($"{r.Row.Method} beats random init", M(r.Row.Method, r.Accs), random, format: "0.0")).ToList();
        var missed = claims.Where(c => !c.Holds).ToList();
        yield return ["every self-supervised method's probe with 10 labels/class beats random init beyond the larger spread", dataset,
            missed.Count == 0 ? "met" : $"missed by {missed.Count} of {claims.Count}",
            string.Join("; ", claims.Select(c => $"{c.Measurements[0].Name} {c.Measurements[0].Mean:0.0} ± {c.Measurements[0].Spread:0.0} (margin {c.Margin:+0.0;-0.0}, needed > {c.Needed:0.0})")) +
            $"; random init {random.Mean:0.0} ± {random.Spread:0.0}"];

        var scratchM = M("scratch", scratch);
        var bestProbe = tenPerClass.Where(r => r.Row.Method is not ("random" or "supervised")).MaxBy(r => r.Accs.Average());
        double probeGain = 100 * bestProbe.Accs.Average() - scratchM.Mean;
        double fineGain = fineTuned is null ? double.NaN : 100 * fineTuned.Average() - scratchM.Mean;
        double gain = levers.Select(l => l.Gain).Append(probeGain).Append(double.IsNaN(fineGain) ? probeGain : fineGain).Max();
        yield return [$"the best self-supervised encoder (probe, fine-tuning or a lever) beats supervised from scratch by at least {GainGoal} points with 10 labels/class", dataset,
            gain >= GainGoal ? "met" : "missed",
            $"scratch {scratchM.Mean:0.0} ± {scratchM.Spread:0.0}; best probe {bestProbe.Row.Method} {100 * bestProbe.Accs.Average():0.0} ({probeGain:+0.0;-0.0})" +
            (fineTuned is null ? "" : $"; {bestProbe.Row.Method} fine-tuned {100 * fineTuned.Average():0.0} ± {100 * Std(fineTuned):0.0} ({fineGain:+0.0;-0.0})") +
            string.Concat(levers.Select(l => $"; lever: {l.Lever} ({l.Gain:+0.0;-0.0} over scratch at the better width)"))];

        var names = SemiSupervisedComparison.Methods;
        var pairs = Enumerable.Range(0, names.Count - 1).Select(i => (Better: names[i], Worse: names[i + 1])).ToList();
        var inverted = pairs.Where(p => semi[p.Better].Average() < semi[p.Worse].Average() || (p.Worse == names[^1] && semi[p.Better].Average() <= semi[p.Worse].Average())).ToList();
        double warm = outcome.WarmUp.Average();
        // What FixMatch's unlabelled loss learned from at the end of its run: said once, in the goal's met branch and in its why.
        string fixMatchLabels = $"in the last tenth of its {outcome.Steps} steps FixMatch's loss used {Pct(outcome.FinalMaskRate)}% of the unlabelled images (confidence ≥ 0.95)" +
            (double.IsFinite(outcome.FinalPseudoLabelAccuracy) ? $", and {Pct(outcome.FinalPseudoLabelAccuracy)}% of those pseudo-labels were right" : "");
        // Why a pair inverts, from the run's numbers: how far apart the two are against their spread, what each gained over
        // the shared warm-up, and what the better-expected method's unlabelled loss learned from.
        string Why((string Better, string Worse) p)
        {
            double gap = 100 * (semi[p.Worse].Average() - semi[p.Better].Average());
            double spread = 100 * Math.Max(Std(semi[p.Better]), Std(semi[p.Worse]));
            var why = $"{Short(p.Better)} < {Short(p.Worse)} by {gap:0.0} points" +
                (semi[p.Better].Count > 1 ? gap <= spread ? $", within the larger spread ({spread:0.0}): the draws do not order them" : $" (larger spread {spread:0.0})" : "") +
                $"; over the warm-up ({Pct(warm)}) {Short(p.Better)} gained {100 * (semi[p.Better].Average() - warm):+0.0;-0.0} and {Short(p.Worse)} {100 * (semi[p.Worse].Average() - warm):+0.0;-0.0}";
            if (p.Better == names[0])
                why += "; " + fixMatchLabels + (p.Worse == names[1] ? ", where Mean Teacher's consistency loss uses every unlabelled image" : "");
            if (p.Better == names[2])
            {
                double right = outcome.FixedPseudoLabelAccuracy.Average();
                why += $"; its {outcome.FixedPseudoLabels:0} fixed pseudo-labels were {Pct(right)}% right (per draw {string.Join(", ", outcome.FixedPseudoLabelAccuracy.Select(Pct))}), " +
                    $"so it trained {outcome.Steps} steps on about {(1 - right) * outcome.FixedPseudoLabels:0} wrong labels beside the {outcome.Labelled} true ones";
            }
            return why;
        }
        yield return ["FixMatch ≥ Mean Teacher ≥ pseudo-labels > supervised only, 10 labels/class", dataset,
            inverted.Count == 0 ? "met (means in order)" : "missed: " + string.Join("; ", inverted.Select(p => $"{Short(p.Better)} < {Short(p.Worse)}")),
            string.Join(", ", names.Select(n => $"{Short(n)} {Pct(semi[n].Average())} ± {Pct(Std(semi[n]))}")) +
            (inverted.Count == 0
                ? "; " + fixMatchLabels
                : ". Why: " + string.Join(". ", inverted.Select(Why)))];
    }

    static string Short(string method) => method.Split(" (")[0];

    /// <summary>The tag of the wider-encoder lever's checkpoints: SimCLR at width 1.0 in the same wall budget as the
    /// matched set (scripts/pretrain-matched.sh makes them too).</summary>
    public const string WideTag = "wide-matched";

    /// <summary>The tag of the stronger-views lever's checkpoints: SimCLR with <see cref="ViewStrength.Strong"/> views in
    /// the same wall budget and width as the matched set.</summary>
    public const string StrongTag = "strong-matched";

    /// <summary>One lever's row: the encoder, its width, its probe (null where not probed), its fine-tuned accuracies (for
    /// self-distillation: after distillation, with the fine-tuned ones it started from), supervised from scratch at its
    /// width, and its budget.</summary>
    sealed record LeverRow(string Encoder, double Width, List<double>? Probe, List<double> Tuned, List<double>? TunedFrom, List<double> Scratch, string Budget)
    {
        /// <summary>The better of the probe and the fine-tuned accuracies (means).</summary>
        public double Best => Math.Max(Probe?.Average() ?? double.NegativeInfinity, Tuned.Average());
    }

    /// <summary>The levers of the +10 goal measured at the matched budget, each probed and/or fine-tuned with 10 labels per
    /// class on the tables' label draws: a wider encoder (SimCLR at width 1.0, trained for the same 3 minutes, so fewer
    /// steps), stronger views (SimCLR at the matched width with SimCLR's ImageNet views, the same 3 minutes) and
    /// self-distillation of the best encoder (<see cref="Distil"/>), each against supervised training from scratch at
    /// whichever width does better with these labels (like with like). Returns each lever's gain, for the goals.</summary>
    static List<(string Lever, double Gain)> Levers(BenchContext ctx, string dataset, LabeledImages pool, LabeledImages test, int draws, int channels, List<double> scratchHalf,
        Row? best, List<double>? bestFineTuned, List<double>? distilled)
    {
        var rows = new List<LeverRow>();
        foreach (var tag in new[] { WideTag, StrongTag })
        {
            using var inner = NewDisposeScope();
            var path = PretrainedEncoder.Shipped(PretrainMethods.SimClr.Name, dataset, tag);
            if (!File.Exists(path)) throw new FileNotFoundException($"the lever checkpoint '{path}' is missing; scripts/pretrain-matched.sh makes it.", path);
            var info = PretrainedEncoder.ReadInfo(path);
            double width = double.Parse(info.Config["width"], CultureInfo.InvariantCulture);
            var row = new Row(info.Method, Path.GetFileNameWithoutExtension(path), () => PretrainedEncoder.Load(path).Encoder, PretrainedEncoder.Input(info.Config),
                info.Budget, info.Seed.ToString(CultureInfo.InvariantCulture), path);
            Console.WriteLine($"    {dataset}: lever {row.Name} (probe, fine-tuning{(width != Width ? $", scratch at width {width}" : "")})");
            var (_, probe) = ProbeRow(row, pool, test, draws, dataset, ctx);
            var fine = EndToEnd(pool, test, draws, ctx.Quick, _ => row.Make(), row.Input, encoderLrScale: 0.1, only: 10)[10];
            var scratch = width == Width ? scratchHalf
                : EndToEnd(pool, test, draws, ctx.Quick, ScratchEncoder(channels, width), x => x, encoderLrScale: 1.0, only: 10)[10];
            rows.Add(new LeverRow(row.Name, width, probe, fine, null, scratch, row.Budget));
        }
        if (best is not null && bestFineTuned is not null && distilled is not null)
            rows.Add(new LeverRow($"{best.Name}, fine-tuned, then self-distilled", Width, null, distilled, bestFineTuned, scratchHalf, best.Budget));

        // A fair baseline: scratch at whichever width does better with these labels.
        double baseline = rows.Select(r => r.Scratch.Average()).Append(scratchHalf.Average()).Max();
        double Gain(LeverRow r) => 100 * (r.Best - baseline);
        ctx.Report.Add(new BenchTable("quality", $"{Title(dataset)}: levers of the +{GainGoal} goal at the matched budget, 10 labels per class, test accuracy (%)",
            ["encoder", "width", "probe", "fine-tuned (encoder lr x0.1)", "supervised from scratch, same width", "best gain over scratch (the better width)", "pre-training budget"],
            rows.Select(r => (IReadOnlyList<string>)[r.Encoder, $"{r.Width:0.0#}", r.Probe is null ? "" : Format(r.Probe),
                r.TunedFrom is null ? Format(r.Tuned) : $"{Format(r.TunedFrom)} -> {Format(r.Tuned)}", Format(r.Scratch), $"{Gain(r):+0.0;-0.0}", r.Budget]).ToList(),
            $"Each lever has the same {MatchedBudget.Minutes}-minute budget as the matched set: the wider encoder takes fewer steps, and the stronger views " +
            "(SimCLR's ImageNet recipe: crop 0.08-1 and jitter at strength 1.0; on Fashion-MNIST its brightness and contrast, with blur) cost more per step on Fashion-MNIST. " +
            "Same label draws, probe and fine-tuning protocol as the tables above. Gains are over supervised training from scratch at whichever width (the matched one " +
            "or the lever's) scores better with these labels. " +
            $"Self-distillation (SimCLRv2's third step, Chen et al., NeurIPS 2020): the fine-tuned encoder and head label every unlabelled image of the pool (arg-max, where SimCLRv2 " +
            $"uses the soft distribution), then train on the labels and those pseudo-labels, {DistilSteps} steps of 64 + 64 with crop + flip, Adam 2e-4."));
        foreach (var r in rows)
            ctx.Report.Add(new BenchFigure("quality", $"{dataset}: lever {r.Encoder}, best gain over scratch at the better width, 10 labels per class", Gain(r), "points",
                (r.Probe is null ? "" : $"probe {Format(r.Probe)}, ") + $"fine-tuned {(r.TunedFrom is null ? "" : Format(r.TunedFrom) + " -> ")}{Format(r.Tuned)}, scratch {Format(r.Scratch)}"));
        return rows.Select(r => (
            $"{r.Encoder}{(r.Probe is null ? "" : $" probe {Pct(r.Probe.Average())} /")} {(r.TunedFrom is null ? $"fine-tuned {Pct(r.Tuned.Average())}" : $"{Pct(r.TunedFrom.Average())} -> {Pct(r.Tuned.Average())}")}", Gain(r))).ToList();
    }

    /// <summary>Steps of the self-distillation lever.</summary>
    const int DistilSteps = 600;

    /// <summary>SimCLRv2's pre-train, fine-tune, distil, for label draw <paramref name="draw"/>: the encoder of
    /// <paramref name="row"/> fine-tuned with its <paramref name="head"/> on the draw's labels (as in <see cref="EndToEnd"/>),
    /// then, encoder and head together, trained on the labels and the arg-max pseudo-labels it gives every other image of
    /// the pool (<see cref="SelfTraining"/>): the test accuracy.</summary>
    static double Distil(Row row, ConvNet encoder, LinearClassifier head, LabeledImages pool, LabeledImages test, int draw, bool quick)
    {
        using var scope = NewDisposeScope();
        var crop = new RandomResizedCrop((int)pool.Images.shape[2], scaleMin: 0.6);
        var (idx, rest) = LabelSplit.Split(pool.Labels, 10, Course.Generator(100 + draw));
        var labelled = new LabeledImages(row.Input(pool.Images.index_select(0, idx)), pool.Labels.index_select(0, idx), pool.ClassNames);
        var model = nn.Sequential(("encoder", encoder), ("head", head));   // the caller disposes both
        var unlabelled = row.Input(pool.Images.index_select(0, rest));
        var pseudo = PseudoLabels.All(SelfTraining.Predict(model, unlabelled));
        SelfTraining.Fit(model, labelled, unlabelled, pseudo, new SelfTrainingOptions
        {
            Steps = quick ? 20 : DistilSteps, BatchSize = 64, LearningRate = 2e-4, Augment = crop.Apply, Seed = 3000 + draw, ShowProgress = false,
        });
        return SelfTraining.Accuracy(model, new LabeledImages(row.Input(test.Images), test.Labels, test.ClassNames));
    }

    /// <summary>The shipped checkpoints outside the matched set (longer runs, less or shifted data), for reference:
    /// probe with 10 labels per class and kNN, with their own budgets.</summary>
    static void OtherShipped(BenchContext ctx, string dataset, LabeledImages pool, LabeledImages test)
    {
        var others = PretrainedEncoder.ListShipped()
            .Where(p => !Path.GetFileNameWithoutExtension(p).EndsWith("-matched", StringComparison.Ordinal))   // the matched set and its levers
            .Select(p => (Path: p, Info: PretrainedEncoder.ReadInfo(p)))
            .Where(c => PretrainData.EvaluatedOn(c.Info.Config["dataset"]) == dataset).ToList();
        if (others.Count == 0) return;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (path, info) in others)
        {
            using var inner = NewDisposeScope();
            var row = new Row(info.Method, Path.GetFileNameWithoutExtension(path), () => PretrainedEncoder.Load(path).Encoder, PretrainedEncoder.Input(info.Config),
                info.Budget, info.Seed.ToString(CultureInfo.InvariantCulture), path);
            Console.WriteLine($"    {dataset}: probing {row.Name} (not budget-matched)");
            var (cells, _) = ProbeRow(row, pool, test, ctx.Quick ? 1 : 3, dataset, ctx);
            rows.Add(cells);
        }
        ctx.Report.Add(new BenchTable("quality", $"{Title(dataset)}: the other shipped checkpoints (not budget-matched), test accuracy (%)",
            ["encoder", "probe, 1/class", "probe, 10/class", "probe, 100/class", $"probe, all {pool.Count:N0}", "kNN k=20, all", "pre-training budget", "seed"], rows,
            "Longer runs for notebooks 08 and 09, and runs on less or domain-shifted data for notebook 10; same protocol as the matched table. Their budgets differ: do not rank them against the matched set."));
    }

    /// <summary>Steps of each semi-supervised method after the warm-up. FixMatch needs enough of them for its confident
    /// pseudo-labels to cover the pool: at 400 its mask rate was still rising at the end (42.5% of the unlabelled images
    /// on the colour set, 53.3% on Fashion-MNIST, bench of 2026-12-06), so the table runs three times as many.</summary>
    const int SemiSupervisedSteps = 1200;

    /// <summary>The semi-supervised methods of notebook 03 at matched steps (<see cref="SemiSupervisedComparison"/>), with
    /// 10 labels per class and the rest of the pool unlabelled, and FixMatch's mask rate and pseudo-label accuracy.</summary>
    static SemiSupervisedOutcome SemiSupervisedTable(BenchContext ctx, string dataset, LabeledImages pool, LabeledImages test, int draws)
    {
        Console.WriteLine($"    {dataset}: semi-supervised (10 labels per class)");
        const int perClass = 10;
        int warmSteps = ctx.Quick ? 5 : 200, extraSteps = ctx.Quick ? 5 : SemiSupervisedSteps;
        var names = SemiSupervisedComparison.Methods;
        var accs = names.ToDictionary(n => n, _ => new List<double>());
        var warmUp = new List<double>();
        var maskRates = new List<IReadOnlyList<double>>();
        var pseudoAccuracy = new List<IReadOnlyList<double>>();
        var fixedPseudo = new List<double>();
        var fixedCount = new List<long>();
        for (int d = 0; d < draws; d++)
        {
            var run = SemiSupervisedComparison.Run(pool, test, d, warmSteps, extraSteps, Width);
            foreach (var n in names) accs[n].Add(run.Accuracy[n]);
            warmUp.Add(run.WarmUpAccuracy);
            maskRates.Add(run.MaskRate);
            pseudoAccuracy.Add(run.PseudoLabelAccuracy);
            fixedPseudo.Add(run.FixedPseudoLabelAccuracy);
            fixedCount.Add(run.FixedPseudoLabels);
        }
        static double Last(List<IReadOnlyList<double>> perDraw) => perDraw.Select(r => r.Count > 0 ? r[^1] : double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        // What each method's unlabelled loss learns from, where it is a hard label: FixMatch's confident pseudo-labels in the
        // last tenth of its run, the baseline's fixed ones.
        var labelsRight = new Dictionary<string, string>
        {
            [names[0]] = double.IsFinite(Last(pseudoAccuracy)) ? $"{Pct(Last(pseudoAccuracy))} (confident ones, last tenth)" : "none confident in the last tenth",
            [names[1]] = "soft targets",
            [names[2]] = $"{Format(fixedPseudo)} (fixed after the warm-up)",
            [names[3]] = "none used",
        };
        var rows = names.Select(n =>
        {
            ctx.Report.Add(new BenchFigure("quality", $"{dataset}: {n}, {perClass} labels per class", 100 * accs[n].Average(), "%",
                $"mean of {draws} draw(s); warm-up {warmSteps} + {extraSteps} steps of 32 labelled (+ 96 unlabelled)"));
            return (IReadOnlyList<string>)[n, Format(accs[n]), string.Join(", ", accs[n].Select(Pct)), labelsRight[n], $"{warmSteps} + {extraSteps}"];
        }).Append(["after the warm-up alone (every method's starting point)", Format(warmUp), string.Join(", ", warmUp.Select(Pct)), "", $"{warmSteps}"]).ToList();
        ctx.Report.Add(new BenchFigure("quality", $"{dataset}: pseudo-label baseline, accuracy of its pseudo-labels", 100 * fixedPseudo.Average(), "%",
            $"the 100 most confident per class after the warm-up, against the hidden labels; mean of {draws} draw(s)"));
        static string Trace(List<IReadOnlyList<double>> perDraw) => string.Join(", ", Enumerable.Range(0, perDraw.Min(r => r.Count))
            .Select(i => Pct(perDraw.Select(r => r[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average())));
        ctx.Report.Add(new BenchTable("quality", $"{Title(dataset)}: semi-supervised, {perClass} labels per class (%)",
            ["method", "test accuracy", "per label draw", "its pseudo-labels right", "steps (warm-up + method)"], rows,
            $"Notebook 03's protocol at matched steps: the ConvNet classifier (width {Width}) trained end to end; Adam from {SemiSupervisedComparison.LearningRate:0e0} with a cosine decay to 0 " +
            $"over each phase (notebook 03 keeps the rate constant; the decay keeps a late loss spike from being scored as the result); a supervised warm-up of {warmSteps} steps on the labels " +
            $"(flip + translation), then {extraSteps} more steps for each method from the same weights, with the other {pool.Count - perClass * pool.NumClasses:N0} pool images unlabelled; " +
            $"FixMatch with its recipe (μ {FixMatchRecipe.CpuRatio}, tau 0.95, strong views with Cutout), Mean Teacher on the same μ and weak views. " +
            $"Mean ± std over {draws} label draw(s), the same draws as the probe table. FixMatch's mask rate per tenth of its run (%): {Trace(maskRates)}; " +
            $"accuracy of its confident pseudo-labels (%): {Trace(pseudoAccuracy)}."));
        return new SemiSupervisedOutcome(accs, Last(maskRates), Last(pseudoAccuracy), extraSteps, warmUp, fixedPseudo, fixedCount.Average(), perClass * pool.NumClasses);
    }

    /// <summary>The semi-supervised table's accuracies per method, FixMatch's mask rate and pseudo-label accuracy in the
    /// last tenth of its run (mean over draws), the warm-up's test accuracy and the accuracy of the pseudo-label baseline's
    /// fixed pseudo-labels per draw, how many it had (mean over draws), and the number of labelled images.</summary>
    sealed record SemiSupervisedOutcome(Dictionary<string, List<double>> Accuracy, double FinalMaskRate, double FinalPseudoLabelAccuracy, int Steps,
        List<double> WarmUp, List<double> FixedPseudoLabelAccuracy, double FixedPseudoLabels, int Labelled);

    static string Pct(double a) => (100 * a).ToString("0.0", CultureInfo.InvariantCulture);

    static string Format(List<double> accs) =>
        accs.Count > 1 ? $"{Pct(accs.Average())} ± {Pct(Std(accs))}" : Pct(accs[0]);

    /// <summary>The sample standard deviation, as the claims compute it (<see cref="Measured.Spread"/>).</summary>
    static double Std(List<double> xs) => new Measured("", xs).Spread;
}
