using SslCourse.Data;
using SslCourse.Pretraining;
using SslCourse.Training;

namespace SslCourse.Cli.Bench;

/// <summary>The data section: how fast the procedural set is generated, what two SimCLR views cost against a
/// training step, and how learnable the set is (supervised ConvNet against a linear classifier on raw pixels).</summary>
public static class DataSection
{
    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int count = ctx.Quick ? 5_000 : 20_000;
        foreach (var variant in new[] { ToyVariant.Standard, ToyVariant.DomainShift, ToyVariant.FineGrained })
        {
            var ips = DataBenchmarks.GenerationImagesPerSecond(count, 32, variant, repeats: ctx.Quick ? 1 : 3);
            ctx.Report.Add(new BenchFigure("data", $"ToyObjects {variant} generation, 32x32", ips, "img/s",
                $"best of {(ctx.Quick ? 1 : 3)} runs of {count:N0} images; goal >= 20,000 img/s"));
        }
        var big = DataBenchmarks.GenerationImagesPerSecond(ctx.Quick ? 1_000 : 5_000, 64, ToyVariant.Standard, repeats: 1);
        ctx.Report.Add(new BenchFigure("data", "ToyObjects Standard generation, 64x64", big, "img/s", "one run"));

        var (aug, step) = DataBenchmarks.AugmentVersusStep(256, repeats: ctx.Quick ? 3 : 7);
        ctx.Report.Add(new BenchFigure("data", "two SimCLR views of 256 images (crop, flip, colour jitter, grayscale)", aug * 1000, "ms", "median, measured alternately with the step below"));
        ctx.Report.Add(new BenchFigure("data", "one SGD step of the small ConvNet on both views (512 images)", step * 1000, "ms", "median"));
        ctx.Report.Add(new BenchFigure("data", "augmentation / training step", 100 * aug / step, "%", "goal < 25%"));

        var (conv, linear) = DataBenchmarks.Learnability(train: ctx.Quick ? 2_000 : 10_000, test: 2_000, epochs: ctx.Quick ? 2 : 4);
        ctx.Report.Add(new BenchFigure("data", "supervised small ConvNet on ToyObjects (test accuracy)", 100 * conv, "%",
            $"{(ctx.Quick ? 2_000 : 10_000):N0} labelled training images, {(ctx.Quick ? 2 : 4)} epochs, 2,000 test images, seed 0"));
        ctx.Report.Add(new BenchFigure("data", "linear classifier on raw pixels (test accuracy)", 100 * linear, "%", "same data and epochs; should be clearly lower"));
        return Task.CompletedTask;
    }
}

/// <summary>The speed section: img/s of the course's default SimCLR training step and its data share, the allocator's
/// gain and the step's number formats.</summary>
public static class SpeedSection
{
    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        int steps = ctx.Quick ? 4 : 10;
        foreach (var width in new[] { 1.0, 0.5 })
        {
            var r = StepBenchmarks.SimClrStep(batch: 256, steps: steps, width: width);
            ctx.Report.Add(new BenchFigure("speed", $"SimCLR step, ConvNet width {width:0.0}, 2 x 256 images", r.ImagesPerSecond, "img/s",
                $"median of {steps} steps after 2 warm-up; {r.Threads} threads; data and augmentation {100 * r.DataShare:0.0}% of the step"));
            if (width == 1.0) FlopRate(ctx, r);
        }

        Allocator(ctx, steps);
        Formats(ctx, steps);

        return Task.CompletedTask;
    }

    /// <summary>The default step's arithmetic rate (<see cref="StepFlops"/>) as a fraction of the measured fp32 matmul rate.</summary>
    static void FlopRate(BenchContext ctx, StepBenchmarkResult step)
    {
        var widths = new SslCourse.Models.ConvNet(3, 1.0).Widths;
        double flops = StepFlops.SimClrStep(widths, step.Batch);
        double rate = flops / step.MedianStepSeconds, peak = StepFlops.MatmulPeak();
        ctx.Report.Add(new BenchFigure("speed", "SimCLR step (width 1), FLOP rate", rate / 1e9, "GFLOP/s",
            $"{flops / 1e9:0.0} GFLOP per step (convolutions and projection head, training = 3x forward) / the median step of {step.MedianStepSeconds * 1000:0} ms"));
        ctx.Report.Add(new BenchFigure("speed", "fp32 matmul rate (torch.mm, 1024 x 1024)", peak / 1e9, "GFLOP/s", $"median of 7 products, {TorchSharp.torch.get_num_threads()} threads"));
        ctx.Report.Add(new BenchFigure("speed", "SimCLR step FLOP rate / fp32 matmul rate", 100 * rate / peak, "%",
            "the share of the machine's measured fp32 matmul rate that the whole step (data and augmentation included) achieves"));
    }

    /// <summary>The default SimCLR step (width 1, 2 x 256 images) in fp32, bf16 (fp32 master weights) and channels-last,
    /// side by side: every round runs each format once, in an order that rotates from round to round; the ratio to fp32
    /// of each round is summarised as median, min and max (<see cref="RoundSummary"/>).</summary>
    static void Formats(BenchContext ctx, int steps)
    {
        int rounds = ctx.Quick ? 1 : RoundSummary.DefaultRounds;
        var formats = Enum.GetValues<StepFormat>();
        var perFormat = formats.ToDictionary(f => f, _ => new List<double>());
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < formats.Length; i++)
            {
                var f = formats[(i + r) % formats.Length];
                perFormat[f].Add(StepBenchmarks.SimClrStep(batch: 256, steps: steps, width: 1.0, format: f).ImagesPerSecond);
            }
        var rows = new List<IReadOnlyList<string>>();
        var speedRatio = new Dictionary<StepFormat, double>();
        foreach (var f in formats)
        {
            var ratio = RoundSummary.Of(perFormat[f].Zip(perFormat[StepFormat.Fp32], (a, b) => a / b).ToList());
            speedRatio[f] = ratio.Median;
            rows.Add([f.ToString(), $"{RoundSummary.MedianOf(perFormat[f]):0}", $"{ratio.Median:0.00}", $"{ratio.Min:0.00} - {ratio.Max:0.00}"]);
            if (f != StepFormat.Fp32)
                ctx.Report.Add(new BenchFigure("speed", $"SimCLR step (width 1), {f} / fp32", ratio.Median, "x", $"{ratio.Describe()}; adopt at >= {StepFormats.AdoptionSpeedup}x with the probe within 1 point"));
        }
        ctx.Report.Add(new BenchTable("speed", "The SimCLR step (width 1, 2 x 256 images) in fp32, bf16 and channels-last, side by side",
            ["format", "img/s (median)", "ratio to fp32 (median)", "ratio range"], rows,
            $"{rounds} round(s) of {steps} steps per format, the order rotating every round, {TorchSharp.torch.get_num_threads()} threads. bf16: forward and backward on a bf16 copy " +
            "of the weights, fp32 master weights and optimizer (TorchSharp 0.107 has no autocast); channels-last: NHWC-strided images (no memory_format API in TorchSharp 0.107), " +
            "which libtorch's CPU convolutions keep. Speed only: a format is adopted where the step is >= 1.3x faster and the probe accuracy within 1 point (next table)."));
        FormatAccuracy(ctx, speedRatio);
    }

    /// <summary>Steps of the accuracy comparison of <see cref="FormatAccuracy"/> (the matched budget's SimCLR run on the
    /// colour set has 1,353; this is about 45% of it, to keep the bench short).</summary>
    public const int FormatAccuracySteps = 600;

    /// <summary>The adoption rule of the formats: SimCLR trained by <c>ssl-course pretrain</c>'s own code on the colour set
    /// in every format, at equal steps (the matched budget's width, batch and recipe, seed 0), each encoder scored in fp32
    /// on the fixed evaluation; a format is adopted where its step is at least 1.3x faster than fp32 (the speed table's
    /// median) and its linear probe on all bank labels within 1 point of fp32's.</summary>
    static void FormatAccuracy(BenchContext ctx, IReadOnlyDictionary<StepFormat, double> speedRatio)
    {
        int steps = ctx.Quick ? 6 : FormatAccuracySteps;
        Dictionary<string, double> Train(StepFormat f, int seed)
        {
            Course.Init(seed);
            var o = new PretrainOptions
            {
                Method = PretrainMethods.SimClr.Name, Dataset = "toy", Steps = steps, Minutes = null, Width = MatchedBudget.Width,
                BatchSize = MatchedBudget.Batch, Seed = seed, Format = f, ShowProgress = false,
            };
            return Pretrainer.Run(ctx.Quick ? o with { Images = 512 } : o).Info.Metrics;
        }
        var scores = Enum.GetValues<StepFormat>().ToDictionary(f => f, f => Train(f, seed: 0));
        var seed1 = Train(StepFormat.Fp32, seed: 1);   // the run-to-run spread the 1-point rule must be read against
        double fp32Probe = 100 * scores[StepFormat.Fp32]["probe"], fp32Minutes = scores[StepFormat.Fp32]["minutes"];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (f, m) in scores)
        {
            double probe = 100 * m["probe"], gap = probe - fp32Probe;
            string verdict = f == StepFormat.Fp32 ? "the reference"
                : speedRatio[f] < StepFormats.AdoptionSpeedup ? $"misses the rule: step {speedRatio[f]:0.00}x < {StepFormats.AdoptionSpeedup}x"
                : Math.Abs(gap) > 1 ? $"misses the rule: probe {gap:+0.0;-0.0} points (more than 1)"
                : $"meets the rule ({speedRatio[f]:0.00}x, probe {gap:+0.0;-0.0})";
            rows.Add([StepFormats.Name(f), $"{100 * m["knn"]:0.0}", $"{probe:0.0}", $"{100 * m["probe10"]:0.0}", $"{fp32Minutes / m["minutes"]:0.00}",
                $"{speedRatio[f]:0.00}", verdict]);
            if (f != StepFormat.Fp32)
                ctx.Report.Add(new BenchFigure("speed", $"SimCLR probe, {StepFormats.Name(f)} - fp32 at equal steps", gap, "points", $"{steps} steps each; {verdict}"));
        }
        double seedGap = 100 * seed1["probe"] - fp32Probe;
        rows.Add(["fp32, seed 1", $"{100 * seed1["knn"]:0.0}", $"{100 * seed1["probe"]:0.0}", $"{100 * seed1["probe10"]:0.0}", $"{fp32Minutes / seed1["minutes"]:0.00}",
            "1.00", $"run-to-run spread of fp32: probe {seedGap:+0.0;-0.0} points from seed 0"]);
        ctx.Report.Add(new BenchFigure("speed", "SimCLR probe, fp32 seed 1 - seed 0 at equal steps", seedGap, "points", $"{steps} steps each; the scale of the 1-point rule"));
        ctx.Report.Add(new BenchTable("speed", $"Accuracy at equal steps: SimCLR on the colour set in every format ({steps} steps, width {MatchedBudget.Width}, batch {MatchedBudget.Batch}, seed 0)",
            ["format", "kNN %", "probe %", "probe10 %", "training speed / fp32 (this run's wall time)", "step speed / fp32 (table above)", "verdict"], rows,
            "One run per format through `ssl-course pretrain`'s code (`--format`, seed 0), and fp32 again with seed 1 for the run-to-run spread; every encoder scored in fp32 " +
            "on the fixed evaluation. A gap smaller than that spread is not evidence of a difference. This is the rule on the width-1 SimCLR step; " +
            "whether a format speeds up each run of the matched set (width 0.5, batch 128) is the methods section's table, and the matched set trains each run in the format that passes there."));
    }

    /// <summary>The SimCLR step (width 0.5) in fresh processes, alternately with the allocator settings of
    /// <see cref="SslCourse.Native.NativeAllocator"/> and with glibc's defaults (<c>SSL_COURSE_MALLOC=system</c>).</summary>
    static void Allocator(BenchContext ctx, int steps)
    {
        int rounds = ctx.Quick ? 1 : RoundSummary.DefaultRounds;
        var rows = new List<IReadOnlyList<string>>();
        var ratios = new List<double>();
        (double ImagesPerSecond, bool Tuned) Tuned() => BenchStepCommand.InChild(ctx.RepoRoot, new Dictionary<string, string>(), 256, steps, 0.5);
        (double ImagesPerSecond, bool Tuned) Plain() => BenchStepCommand.InChild(ctx.RepoRoot, new Dictionary<string, string> { ["SSL_COURSE_MALLOC"] = "system" }, 256, steps, 0.5);
        for (int r = 1; r <= rounds; r++)
        {
            (double ImagesPerSecond, bool Tuned) tuned, plain;
            if (r % 2 == 1) { tuned = Tuned(); plain = Plain(); }       // tuned first in odd rounds,
            else { plain = Plain(); tuned = Tuned(); }                  // glibc's defaults first in even ones
            if (!tuned.Tuned)
            {
                ctx.Report.Add(new BenchFigure("speed", "SimCLR step, tuned / glibc default malloc", null, "", "not measured: the allocator cannot be tuned here (not Linux with glibc)"));
                return;
            }
            ratios.Add(tuned.ImagesPerSecond / plain.ImagesPerSecond);
            rows.Add([r.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{tuned.ImagesPerSecond:0}", $"{plain.ImagesPerSecond:0}", $"{ratios[^1]:0.00}"]);
        }
        ctx.Report.Add(new BenchTable("speed", "SimCLR step (width 0.5, 2 x 256 images) in fresh processes: malloc as Course.Init tunes it, and glibc's defaults, alternated",
            ["round", "tuned img/s", "glibc defaults img/s", "ratio"], rows,
            "`Course.Init` sets glibc's mmap threshold (32 MiB), trim threshold (256 MiB) and top pad (64 MiB) so that libtorch's per-step buffers are reused instead of being " +
            "mapped and faulted in afresh every step; `SSL_COURSE_MALLOC=system` keeps the defaults."));
        var summary = RoundSummary.Of(ratios);
        ctx.Report.Add(new BenchFigure("speed", "SimCLR step, tuned / glibc default malloc (median of rounds)", summary.Median, "x",
            $"{summary.Describe()} of {steps} steps each, fresh processes, the order swapped every round"));
    }
}

/// <summary>The peer section: the same SimCLR step in PyTorch (Debian's python3-torch), alternated with ours.</summary>
public static class PeerSection
{
    public static Task RunAsync(BenchContext ctx)
    {
        Course.Init(0);
        var script = Path.Combine(ctx.RepoRoot, "lib", "SslCourse.Cli", "Bench", "peer_step.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        if (!PythonHasTorch(python))
        {
            ctx.Report.Add(new BenchFigure("peer", "TorchSharp / PyTorch, SimCLR step", null, "",
                $"not measured: {python} cannot import torch (install Debian's python3-torch to measure it)"));
            return Task.CompletedTask;
        }
        var rounds = StepBenchmarks.CompareWithPeer(script, rounds: ctx.Quick ? 1 : RoundSummary.DefaultRounds, batch: 256, steps: ctx.Quick ? 4 : 10, python: python);
        var rows = rounds.Select(r => (IReadOnlyList<string>)[r.Round.ToString(), $"{r.TorchSharp:0}", $"{r.PyTorch:0}", $"{r.Ratio:0.00}"]).ToList();
        ctx.Report.Add(new BenchTable("peer", "SimCLR step, 2 x 256 images, default ConvNet: TorchSharp and PyTorch alternated", ["round", "TorchSharp img/s", "PyTorch img/s", "ratio"], rows,
            $"PyTorch {PythonTorchVersion(python)} from {python}; the same threads, batch, steps and architecture{(SslCourse.Native.NativeAllocator.IsTuned ? " and malloc settings (glibc's MALLOC_* variables)" : "")}; goal: ratio >= 0.9."));
        var summary = RoundSummary.Of(rounds.Select(r => r.Ratio).ToList());
        ctx.Report.Add(new BenchFigure("peer", "TorchSharp / PyTorch, SimCLR step (median of rounds)", summary.Median, "x",
            $"{summary.Describe()}, the order swapped every round; goal >= 0.9"));
        return Task.CompletedTask;
    }

    static bool PythonHasTorch(string python) => PythonTorchVersion(python) != null;

    static string? PythonTorchVersion(string python)
    {
        try
        {
            var r = ChildProcess.Run(python, ["-c", "import torch; print(torch.__version__)"], Directory.GetCurrentDirectory(), timeout: TimeSpan.FromMinutes(1));
            return r.ExitCode == 0 ? r.Output.Trim().Split('\n').Last().Trim() : null;
        }
        catch (Exception) { return null; }
    }
}
