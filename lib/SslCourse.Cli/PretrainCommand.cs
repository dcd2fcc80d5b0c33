using System.Globalization;
using SslCourse.Pretraining;

namespace SslCourse.Cli;

/// <summary><c>ssl-course pretrain</c>: trains an encoder with one method of the library's registry and writes a
/// checkpoint (weights + JSON manifest, atomically) with its measured kNN and linear-probe accuracy.</summary>
public static class PretrainCommand
{
    public const string Usage = "pretrain <method> --minutes N [--dataset toy|toy-shift|fmnist] [--seed S] [--out DIR] [--steps N] [--images N] [--batch N] [--width W] [--lr LR] [--wd WD] [--tag NAME] [--quiet] [--list]";

    public static Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv, ["minutes", "dataset", "seed", "out", "steps", "images", "batch", "width", "lr", "wd", "tag"], ["quiet", "list"]);
        if (args.Flag("list"))
        {
            foreach (var pm in PretrainMethods.All) Console.WriteLine($"{pm.Name,-11} {pm.Summary}");
            return Task.FromResult(Cli.Ok);
        }
        if (args.Positional.Count != 1)
            throw new UsageException($"expected one method, got {args.Positional.Count}; methods: {string.Join(", ", PretrainMethods.Names)}.");
        var method = args.Positional[0];
        if (!PretrainMethods.Names.Contains(method))
            throw new UsageException($"unknown method '{method}'; expected one of: {string.Join(", ", PretrainMethods.Names)}.");
        var dataset = args.Get("dataset") ?? "toy";
        if (!PretrainData.Names.Contains(dataset))
            throw new UsageException($"--dataset '{dataset}': expected one of: {string.Join(", ", PretrainData.Names)}.");
        double? minutes = args.Get("minutes") != null ? args.PositiveNumber("minutes", 0) : null;
        int? steps = args.Get("steps") != null ? args.PositiveInt("steps", 0) : null;
        if (minutes == null && steps == null) throw new UsageException("give a budget: --minutes N (wall-clock) and/or --steps N.");
        int seed = args.Get("seed") is { } sd ? (int.TryParse(sd, CultureInfo.InvariantCulture, out var s) && s >= 0 ? s : throw new UsageException($"--seed '{sd}': expected a non-negative integer.")) : 0;
        var defaults = new PretrainOptions { Method = method };
        var options = new PretrainOptions
        {
            Method = method,
            Dataset = dataset,
            Minutes = minutes,
            Steps = steps,
            Seed = seed,
            Images = args.PositiveInt("images", defaults.Images),
            BatchSize = args.PositiveInt("batch", defaults.BatchSize),
            Width = args.PositiveNumber("width", defaults.Width),
            LearningRate = args.PositiveNumber("lr", defaults.LearningRate),
            WeightDecay = args.Get("wd") is { } wd ? NonNegative("wd", wd) : defaults.WeightDecay,
            ShowProgress = !args.Flag("quiet"),
            Command = "ssl-course pretrain " + string.Join(' ', argv.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)),
        };
        var outDir = Path.GetFullPath(args.Get("out") ?? Path.Combine("data", "checkpoints"));
        var tag = args.Get("tag");
        if (tag != null && (tag.Length == 0 || !tag.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')))
            throw new UsageException($"--tag '{tag}': expected letters, digits and '-'.");
        var path = Path.Combine(outDir, $"{method}-{dataset}{(tag == null ? "" : "-" + tag)}.pt");

        Course.Init(seed);
        Console.WriteLine($"ssl-course pretrain: {method} on {dataset}, budget {(minutes is { } m ? $"{m} min" : "")}{(minutes != null && steps != null ? " / " : "")}{(steps is { } st ? $"{st} steps" : "")}, seed {seed}, {TorchSharp.torch.get_num_threads()} thread(s) -> {path}");
        PretrainResult result;
        try { result = Pretrainer.Run(options); }
        catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or FileNotFoundException) { throw new UsageException(e.Message); }
        var info = Pretrainer.Save(result, path);
        Console.WriteLine($"budget: {info.Budget}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kNN {info.Metrics["knn"]:P1}, linear probe {info.Metrics["probe"]:P1} (all {PretrainData.EvalBank} bank labels), probe with 10 labels per class {info.Metrics["probe10"]:P1}"));
        Console.WriteLine($"wrote {path} and {Path.GetFileName(path)}.json");
        return Task.FromResult(Cli.Ok);
    }

    static double NonNegative(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v)
            ? v : throw new UsageException($"--{name} '{value}': expected a number >= 0.");
}
