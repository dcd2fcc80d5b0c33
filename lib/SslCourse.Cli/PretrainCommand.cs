using System.CommandLine;
using System.Globalization;
using SslCourse.Pretraining;
using SslCourse.Training;

namespace SslCourse.Cli;

/// <summary><c>ssl-course pretrain</c>: trains an encoder with one method of the library's registry and writes a
/// checkpoint (weights + JSON manifest, atomically) with its measured kNN and linear-probe accuracy.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var method = new Argument<string[]>("method") { Description = $"The method to train: {string.Join(", ", PretrainMethods.Names)}.", Arity = ArgumentArity.ZeroOrMore };
        method.Validators.Add(Options.UnknownOptions);
        method.CompletionSources.Add(PretrainMethods.Names.ToArray());
        var minutes = Options.PositiveNumber("minutes", "Wall-clock budget in minutes (give --minutes and/or --steps).", "N");
        var steps = Options.PositiveInt("steps", "Budget in training steps.");
        var dataset = Options.OneOf("dataset", "The images to train on.", PretrainData.Names, "toy");
        var seed = Options.Integer("seed", "Random seed [default: 0].", "S", 0, "expected a non-negative integer");
        var outDir = Options.Text("out", "Folder for the checkpoint and its manifest [default: data/checkpoints].", "DIR");
        var images = Options.PositiveInt("images", "Training images [default: the method's].");
        var batch = Options.PositiveInt("batch", "Batch size [default: the method's].");
        var width = Options.PositiveNumber("width", "Encoder width multiplier [default: the method's].", "W");
        var lr = Options.PositiveNumber("lr", "Adam's learning rate in the shared recipe [default: 2e-3].", "LR");
        var wd = Options.NonNegativeNumber("wd", "Adam's weight decay in the shared recipe [default: 1e-6].", "WD");
        var sharedRecipe = Options.Flag("adam", "Train with the shared Adam recipe (--lr, --wd) even where the method has its own from its paper (simsiam: SGD, Chen and He 2021).");
        var tag = Options.Text("tag", "Suffix of the checkpoint's name (letters, digits and '-').", "NAME");
        tag.Validators.Add(r =>
        {
            var t = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
            if (t != null && (t.Length == 0 || !t.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')))
                r.AddError($"--tag '{t}': expected letters, digits and '-'.");
        });
        var format = Options.OneOf("format", "The step's number format and layout (bf16: a bf16 working copy, fp32 master weights); the checkpoint is fp32 whatever it is.", StepFormats.Names, "fp32");
        var views = Options.OneOf("views", "How strong the two views are, for the two-view methods (strong: SimCLR's ImageNet recipe, crop 0.08-1 and jitter strength 1.0).",
            ["default", "strong"], "default", ignoreCase: true);
        var quiet = Options.Flag("quiet", "No live progress.");
        var list = Options.Flag("list", "List the methods and exit.");
        return Options.Verb("pretrain", "Train an encoder with one method and write a checkpoint (weights + JSON manifest) with its kNN and probe accuracy.", parse =>
        {
            if (parse.GetValue(list))
            {
                foreach (var pm in PretrainMethods.All) Console.WriteLine($"{pm.Name,-11} {pm.Summary}");
                return Task.FromResult(Cli.Ok);
            }
            var methods = parse.GetValue(method) ?? [];
            if (methods.Length != 1)
                throw new UsageException($"expected one method, got {methods.Length}; methods: {string.Join(", ", PretrainMethods.Names)}.");
            var m = methods[0];
            if (!PretrainMethods.Names.Contains(m))
                throw new UsageException($"unknown method '{m}'; expected one of: {string.Join(", ", PretrainMethods.Names)}.");
            if (parse.GetValue(minutes) == null && parse.GetValue(steps) == null) throw new UsageException("give a budget: --minutes N (wall-clock) and/or --steps N.");
            if (!parse.GetValue(sharedRecipe) && PretrainMethods.HasOwnRecipe(m) && (parse.GetValue(lr) != null || parse.GetValue(wd) != null))
                throw new UsageException($"{m} trains with its own recipe from its paper, which sets the learning rate and weight decay; add --adam to train it with the shared Adam recipe at --lr/--wd.");
            var defaults = new PretrainOptions { Method = m };
            var options = new PretrainOptions
            {
                Method = m,
                Dataset = parse.GetValue(dataset)!,
                Minutes = parse.GetValue(minutes),
                Steps = parse.GetValue(steps) ?? 0,
                Seed = parse.GetValue(seed) ?? 0,
                Images = parse.GetValue(images) ?? defaults.Images,
                BatchSize = parse.GetValue(batch) ?? defaults.BatchSize,
                Width = parse.GetValue(width) ?? defaults.Width,
                LearningRate = parse.GetValue(lr) ?? defaults.LearningRate,
                WeightDecay = parse.GetValue(wd) ?? defaults.WeightDecay,
                MethodRecipe = !parse.GetValue(sharedRecipe),
                Format = StepFormats.Parse(parse.GetValue(format)!),
                Views = Enum.Parse<ViewStrength>(parse.GetValue(views)!, ignoreCase: true),
                ShowProgress = !parse.GetValue(quiet),
                Command = Cli.CommandLine(parse),
            };
            return Task.FromResult(Pretrain(options, parse.GetValue(outDir), parse.GetValue(tag)));
        }, method, minutes, steps, dataset, seed, outDir, images, batch, width, lr, wd, sharedRecipe, format, views, tag, quiet, list);
    }

    static int Pretrain(PretrainOptions options, string? outFolder, string? tag)
    {
        var (method, dataset, minutes, steps, seed) = (options.Method, options.Dataset, options.Minutes, options.Steps > 0 ? options.Steps : (int?)null, options.Seed);
        var outDir = Path.GetFullPath(outFolder ?? Path.Combine("data", "checkpoints"));
        var path = Path.Combine(outDir, $"{method}-{dataset}{(tag == null ? "" : "-" + tag)}.pt");

        Course.Init((int)seed);   // parsed as an int
        Console.WriteLine($"ssl-course pretrain: {method} on {dataset}, budget {(minutes is { } m ? $"{m} min" : "")}{(minutes != null && steps != null ? " / " : "")}{(steps is { } st ? $"{st} steps" : "")}, seed {seed}, {TorchSharp.torch.get_num_threads()} thread(s) -> {path}");
        PretrainResult result;
        try { result = Pretrainer.Run(options); }
        catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or FileNotFoundException) { throw new UsageException(e.Message); }
        var info = Pretrainer.Save(result, path);
        Console.WriteLine($"budget: {info.Budget}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kNN {info.Metrics["knn"]:P1}, linear probe {info.Metrics["probe"]:P1} (all {PretrainData.EvalBank} bank labels), probe with 10 labels per class {info.Metrics["probe10"]:P1}"));
        Console.WriteLine($"wrote {path} and {Path.GetFileName(path)}.json");
        return Cli.Ok;
    }
}
