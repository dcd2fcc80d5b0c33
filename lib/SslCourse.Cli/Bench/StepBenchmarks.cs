using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SslCourse.Augment;
using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Cli.Bench;

/// <summary>Throughput of one SimCLR training step, split into data/augmentation and forward/backward time.</summary>
/// <param name="Batch">images per view</param>
/// <param name="Steps">timed steps (after warm-up)</param>
/// <param name="ImagesPerSecond">source images per second (each seen in two views): Batch / median step time</param>
/// <param name="MedianStepSeconds">median wall time of a whole step</param>
/// <param name="DataShare">share of the summed step time spent drawing the batch and augmenting both views</param>
/// <param name="ComputeShare">share spent in forward, loss, backward and the optimizer step</param>
/// <param name="Threads">torch intra-op threads</param>
public sealed record StepBenchmarkResult(int Batch, int Steps, double ImagesPerSecond, double MedianStepSeconds, double DataShare, double ComputeShare, int Threads);

/// <summary>One round of the side-by-side comparison with PyTorch.</summary>
/// <param name="Round">1-based round</param>
/// <param name="TorchSharp">img/s of the C# step</param>
/// <param name="PyTorch">img/s of the same step in PyTorch (peer_step.py)</param>
public sealed record PeerRound(int Round, double TorchSharp, double PyTorch)
{
    /// <summary>TorchSharp / PyTorch.</summary>
    public double Ratio => TorchSharp / PyTorch;
}

/// <summary>
/// The benchmark of the course's default training step: SimCLR (two augmented views of a batch, the default
/// <see cref="ConvNet"/>, a 2048-128 projection head, NT-Xent at T = 0.5, SGD with momentum) on 3x32x32 images.
/// The same step is written in PyTorch in <c>lib/SslCourse.Cli/Bench/peer_step.py</c>; <see cref="CompareWithPeer"/>
/// runs both alternately in one process so that the machine's noise hits both alike.
/// </summary>
public static class StepBenchmarks
{
    /// <summary>Times <paramref name="steps"/> SimCLR steps (after <paramref name="warmup"/> untimed ones).</summary>
    /// <param name="batch">images per view (256 in the issue)</param>
    /// <param name="steps">timed steps</param>
    /// <param name="warmup">untimed steps first</param>
    /// <param name="seed">seed of the data, the model and the augmentation</param>
    /// <param name="width">encoder width multiplier</param>
    /// <param name="format">number format and layout of the step (<see cref="StepFormat"/>)</param>
    public static StepBenchmarkResult SimClrStep(int batch = 256, int steps = 10, int warmup = 2, int seed = 0, double width = 1.0, StepFormat format = StepFormat.Fp32)
    {
        if (batch < 2) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 2.");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "warmup must be non-negative.");
        Course.Init(seed);
        var g = Course.Generator(seed);
        using var pool = rand([1024, 3, 32, 32], generator: g); // stands in for a dataset in memory
        var encoder = new ConvNet(3, width);
        using var model = new SimClr(encoder, encoder.OutputDim, hidden: 2048, projectionDim: 128, temperature: 0.5);
        model.train();
        var opt = optim.SGD(model.parameters(), 0.1, momentum: 0.9, weight_decay: 1e-6);
        SimClr? work = null;
        Bf16WorkingCopy? copy = null;
        if (format.IsBf16())
        {
            var workEncoder = new ConvNet(3, width);
            work = new SimClr(workEncoder, workEncoder.OutputDim, hidden: 2048, projectionDim: 128, temperature: 0.5);
            copy = new Bf16WorkingCopy(model, work);
            work.train();
        }
        var data = new List<double>();
        var compute = new List<double>();
        var total = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            using var scope = NewDisposeScope();
            var t0 = Stopwatch.GetTimestamp();
            var idx = randint(0, pool.shape[0], [batch], generator: g);
            var x = pool.index_select(0, idx);                   // [B, 3, 32, 32]
            var v1 = ViewRecipes.CropFlipContrast(x, g);
            var v2 = ViewRecipes.CropFlipContrast(x, g);
            var t1 = Stopwatch.GetTimestamp();
            opt.zero_grad();
            copy?.Pull();                                                    // fp32 master -> bf16 copy (Push zeroed its gradients)
            var loss = (work ?? model).Loss(StepFormats.Prepare(v1, format), StepFormats.Prepare(v2, format));
            loss.backward();
            copy?.Push();                                                    // bf16 gradients -> fp32 master
            opt.step();
            loss.to(ScalarType.Float32).item<float>();
            var t2 = Stopwatch.GetTimestamp();
            if (i < warmup) continue;
            data.Add(Stopwatch.GetElapsedTime(t0, t1).TotalSeconds);
            compute.Add(Stopwatch.GetElapsedTime(t1, t2).TotalSeconds);
            total.Add(Stopwatch.GetElapsedTime(t0, t2).TotalSeconds);
        }
        work?.Dispose();
        double sum = total.Sum();
        double median = Median(total);
        return new StepBenchmarkResult(batch, steps, batch / median, median, data.Sum() / sum, compute.Sum() / sum, get_num_threads());
    }

    /// <summary>
    /// Runs the C# step and the PyTorch step (<c>python3 peerScript</c>) alternately, <paramref name="rounds"/> times,
    /// each with the same batch, steps and threads, ours first in odd rounds and PyTorch first in even ones (so that
    /// neither always runs on a warmer or a noisier machine), and returns every round (summarise with <see cref="RoundSummary"/>).
    /// </summary>
    /// <param name="peerScript">path of peer_step.py</param>
    /// <param name="rounds">alternations</param>
    /// <param name="batch">images per view</param>
    /// <param name="steps">timed steps per round</param>
    /// <param name="python">the Python interpreter; default /usr/bin/python3 (Debian's, where python3-torch installs) when present</param>
    public static List<PeerRound> CompareWithPeer(string peerScript, int rounds = RoundSummary.DefaultRounds, int batch = 256, int steps = 10, string? python = null)
    {
        if (!File.Exists(peerScript)) throw new FileNotFoundException($"peer script '{peerScript}' not found.", peerScript);
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "rounds must be at least 1.");
        python ??= File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        int threads = get_num_threads();
        var result = new List<PeerRound>();
        for (int r = 1; r <= rounds; r++)
        {
            bool oursFirst = r % 2 == 1;
            double mine = oursFirst ? SimClrStep(batch, steps).ImagesPerSecond : 0;
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (Native.NativeAllocator.IsTuned)   // the same allocator settings for PyTorch, through glibc's variables
                foreach (var (name, value) in Native.NativeAllocator.GlibcVariables) psi.Environment[name] = value;
            foreach (var a in new[] { peerScript, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--json" })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}.");
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{python} {peerScript} failed with exit code {p.ExitCode}: {stderr.Trim()}");
            var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{'));
            using var doc = JsonDocument.Parse(line);
            if (!oursFirst) mine = SimClrStep(batch, steps).ImagesPerSecond;
            result.Add(new PeerRound(r, mine, doc.RootElement.GetProperty("images_per_second").GetDouble()));
        }
        return result;
    }

    static double Median(List<double> values) => RoundSummary.MedianOf(values);
}
