using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Training;

/// <summary>How a pretext task is trained by <see cref="PretextTraining"/>: the same budget for every task so that
/// their transfer can be compared. 200 steps of <see cref="TrainingOptions.BatchSize"/> 64 source images (rotation turns
/// each into 4 inputs, jigsaw into 9 tiles, context into 2 patches); Adam at a peak
/// <see cref="TrainingOptions.LearningRate"/> of 2e-3 (cosine schedule with a 5% warm-up, unless <see cref="TrainingOptions.Schedule"/> gives another);
/// <see cref="TrainingOptions.Seed"/> seeds the head's initialisation, the batches and the pretext draws;
/// <see cref="TrainingOptions.Title"/> null shows the task's name.</summary>
public sealed record PretextOptions : TrainingOptions
{
    /// <summary>The shared pretext budget's defaults.</summary>
    public PretextOptions() { Steps = 200; BatchSize = 64; LearningRate = 2e-3; }

    /// <summary>Adam's weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-5;
    /// <summary>The default <see cref="HeadHidden"/>, shared with the registry's pretext entries.</summary>
    public const int DefaultHeadHidden = 256;

    /// <summary>Hidden width of the pretext head's MLP.</summary>
    public int HeadHidden { get; init; } = DefaultHeadHidden;
    /// <summary>Measure the kNN accuracy of the encoder every this many steps (0: never; needs the two sets below).</summary>
    public int MonitorEvery { get; init; }
    /// <summary>The labelled bank of the kNN monitor (labels are used only to monitor).</summary>
    public LabeledImages? MonitorBank { get; init; }
    /// <summary>The queries of the kNN monitor.</summary>
    public LabeledImages? MonitorTest { get; init; }
}

/// <summary>A trained pretext task: the encoder, its head, the history, and how to feed and score it.</summary>
public sealed class PretextRun
{
    readonly Func<Tensor, Generator, (Tensor Predictions, Tensor Labels)> predict;

    internal PretextRun(string task, ConvNet encoder, Module head, TrainHistory history, Func<Tensor, Tensor> input,
        Func<Tensor, Generator, (Tensor, Tensor)> predict)
    {
        (Task, Encoder, Head, History, Input) = (task, encoder, head, history, input);
        this.predict = predict;
    }

    /// <summary>The task's name ("rotation", "jigsaw", ...).</summary>
    public string Task { get; }
    /// <summary>The trained encoder (the one passed in, trained in place).</summary>
    public ConvNet Encoder { get; }
    /// <summary>The pretext head, thrown away for transfer.</summary>
    public Module Head { get; }
    /// <summary>Loss and monitor history.</summary>
    public TrainHistory History { get; }
    /// <summary>What the encoder sees of an RGB image: the identity, or the lightness L for colorization
    /// (<c>[N, 3, H, W]</c> -> <c>[N, 3, H, W]</c>).</summary>
    public Func<Tensor, Tensor> Input { get; }

    /// <summary>The encoder's pooled features of RGB images as it sees them: <c>[N, 3, H, W]</c> -> <c>[N, D]</c> (eval mode).</summary>
    public Tensor Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Evaluation.FeatureExtractor.Extract(Encoder, Input(images)).MoveToOuterDisposeScope();
    }

    /// <summary>Pretext predictions and their true labels for <paramref name="images"/> (eval mode, no gradients): rotation
    /// [4N] (all images at 0, then 90, 180, 270 degrees), jigsaw and context [N], colorization one bin per output pixel
    /// (the supervised run has no pretext labels and throws <see cref="NotSupportedException"/>).</summary>
    public (Tensor Predictions, Tensor Labels) Predict(Tensor images, Generator generator)
    {
        using var mode = ModeScope.Eval(Encoder, Head);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (p, l) = predict(images.to(ModelUtils.DeviceOf(Encoder)), generator);   // inputs follow the model
        return (p.MoveToOuterDisposeScope(), l.MoveToOuterDisposeScope());
    }

    /// <summary>Pretext accuracy (0..1) on <paramref name="images"/>.</summary>
    public double Accuracy(Tensor images, Generator generator)
    {
        var (p, l) = Predict(images, generator);
        using (p) using (l) return p.eq(l).to_type(ScalarType.Float32).mean().item<float>();
    }
}

/// <summary>
/// Trains one encoder on one pretext task with a shared recipe (Adam, cosine schedule, random mini-batches of the
/// given images, an MLP head thrown away afterwards), so that pretext tasks can be compared at equal budget:
/// rotation (Gidaris, Singh and Komodakis, ICLR 2018), jigsaw (Noroozi and Favaro, ECCV 2016), context prediction
/// (Doersch, Gupta and Efros, ICCV 2015), colorization (Zhang, Isola and Efros, ECCV 2016), and supervised
/// pre-training as the reference. Tiles and patches smaller than 16 px are upsampled (bilinear) to 16 px, the
/// smallest input the <see cref="ConvNet"/> takes.
/// </summary>
public static class PretextTraining
{
    /// <summary>The smallest side the <see cref="ConvNet"/> accepts; smaller tiles are upsampled to it.</summary>
    public const int MinSide = 16;

    /// <summary>Upsamples images smaller than <see cref="MinSide"/> to it (bilinear): <c>[N, C, h, w]</c> -> <c>[N, C, max(h,16), max(w,16)]</c>.</summary>
    public static Tensor AtLeastMinSide(Tensor x) =>
        x.shape[2] >= MinSide && x.shape[3] >= MinSide ? x
            : functional.interpolate(x, size: [Math.Max(x.shape[2], MinSide), Math.Max(x.shape[3], MinSide)], mode: InterpolationMode.Bilinear, align_corners: false);

    /// <summary>The colorization input: the lightness L / 100 repeated in three channels, <c>[N, 3, H, W]</c> RGB -> <c>[N, 3, H, W]</c>.</summary>
    public static Tensor Lightness(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var l = Lab.FromRgb(rgb)[.., ..1] / 100.0;   // [N, 1, H, W]
        return l.expand(-1, 3, -1, -1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The context-free network of the jigsaw task: every tile through the same encoder (siamese), the tile
    /// features concatenated in shown order, then the head. tiles <c>[N, T, C, t, t]</c> -> logits <c>[N, K]</c>.</summary>
    public static Tensor JigsawLogits(ConvNet encoder, Module<Tensor, Tensor> head, Tensor tiles)
    {
        if (tiles.dim() != 5) throw new ArgumentException($"tiles must be [N, T, C, t, t]; got [{string.Join(", ", tiles.shape)}].", nameof(tiles));
        long n = tiles.shape[0], t = tiles.shape[1];
        var flat = tiles.reshape(n * t, tiles.shape[2], tiles.shape[3], tiles.shape[4]);   // [N*T, C, t, t]
        var f = encoder.call(AtLeastMinSide(flat));                                         // [N*T, D]
        return head.call(f.reshape(n, t * f.shape[1]));                                     // [N, T*D] -> [N, K]
    }

    /// <summary>Context prediction: both patches through the same encoder in one pass (so BatchNorm normalises them
    /// with the same statistics, as <see cref="ContextPredictor"/> does), features concatenated, then the head.
    /// centre, neighbour <c>[N, C, p, p]</c> -> logits <c>[N, 8]</c>.</summary>
    public static Tensor ContextLogits(ConvNet encoder, Module<Tensor, Tensor> head, Tensor centre, Tensor neighbour)
    {
        long n = centre.shape[0];
        var f = encoder.call(AtLeastMinSide(cat([centre, neighbour], 0)));   // [2N, D]: one pass, shared weights
        return head.call(cat([f[..(int)n], f[(int)n..]], 1));                // [N, 2D] -> [N, 8]
    }

    /// <summary>One jigsaw batch as both trainers see it: the images cut into shuffled tiles (<paramref name="g"/> draws
    /// the permutations), the logits of <see cref="JigsawLogits"/> <c>[N, K]</c> and the permutation labels <c>[N]</c> (on the images' device; the tiles go to the encoder's).</summary>
    public static (Tensor Logits, Tensor Labels) JigsawBatch(Jigsaw jigsaw, ConvNet encoder, Module<Tensor, Tensor> head, Tensor images, Generator g)
    {
        var (tiles, labels) = jigsaw.Apply(images, g);
        return (JigsawLogits(encoder, head, tiles.to(ModelUtils.DeviceOf(encoder))), labels);   // inputs follow the model
    }

    /// <summary>One context batch as both trainers see it: a centre and neighbour patch per image (<paramref name="g"/>
    /// draws positions and jitter), the logits of <see cref="ContextLogits"/> <c>[N, 8]</c> and the neighbour labels <c>[N]</c> (on the images' device; the patches go to the encoder's).</summary>
    public static (Tensor Logits, Tensor Labels) ContextBatch(ContextPairs pairs, ConvNet encoder, Module<Tensor, Tensor> head, Tensor images, Generator g)
    {
        var (centre, neighbour, labels) = pairs.Apply(images, g);
        var device = ModelUtils.DeviceOf(encoder);   // inputs follow the model
        return (ContextLogits(encoder, head, centre.to(device), neighbour.to(device)), labels);
    }

    /// <summary>Rotation prediction on all four rotations of every image in one batch (<see cref="Rotations.Expand"/>).</summary>
    /// <param name="encoder">trained in place</param>
    /// <param name="images"><c>[N, C, S, S]</c> unlabelled training images</param>
    /// <param name="options">the shared budget</param>
    public static PretextRun Rotation(ConvNet encoder, Tensor images, PretextOptions options)
    {
        Validate(encoder, images, options);
        var head = Head(encoder, options, () => Mlp.Build(encoder.OutputDim, options.HeadHidden, 4));
        var g = Course.Generator(options.Seed);
        var history = Train(encoder, head, images, options, "rotation", batch =>
        {
            var (x, y) = Rotations.Expand(batch);
            return CrossEntropy.Hard(head.call(encoder.call(x)), y);
        }, g);
        return new PretextRun("rotation", encoder, head, history, x => x, (x, _) =>
        {
            var (r, y) = Rotations.Expand(x);
            return (head.call(encoder.call(r)).argmax(1), y);
        });
    }

    /// <summary>The jigsaw puzzle with a context-free network (<see cref="JigsawLogits"/>).</summary>
    /// <param name="encoder">trained in place; sees one tile at a time</param>
    /// <param name="images"><c>[N, C, S, S]</c></param>
    /// <param name="jigsaw">tiles, gap, jitter and permutation set</param>
    /// <param name="options">the shared budget</param>
    public static PretextRun Jigsaw(ConvNet encoder, Tensor images, Jigsaw jigsaw, PretextOptions options)
    {
        ArgumentNullException.ThrowIfNull(jigsaw);
        Validate(encoder, images, options);
        int tiles = jigsaw.Grid * jigsaw.Grid;
        var head = Head(encoder, options, () => Mlp.Build(tiles * encoder.OutputDim, options.HeadHidden, jigsaw.Set.Count));
        var g = Course.Generator(options.Seed);
        var history = Train(encoder, head, images, options, $"jigsaw ({jigsaw.Set.Count} permutations)", batch =>
            Loss(JigsawBatch(jigsaw, encoder, head, batch, g)), g);
        return new PretextRun("jigsaw", encoder, head, history, x => x, (x, gen) => Predicted(JigsawBatch(jigsaw, encoder, head, x, gen)));
    }

    /// <summary>Context prediction: which of the 8 neighbours a patch is (<see cref="ContextLogits"/>).</summary>
    /// <param name="encoder">trained in place; sees one patch at a time</param>
    /// <param name="images"><c>[N, C, H, W]</c></param>
    /// <param name="pairs">patch size, gap and jitter</param>
    /// <param name="options">the shared budget</param>
    public static PretextRun Context(ConvNet encoder, Tensor images, ContextPairs pairs, PretextOptions options)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Validate(encoder, images, options);
        var head = Head(encoder, options, () => Mlp.Build(2 * encoder.OutputDim, options.HeadHidden, 8));
        var g = Course.Generator(options.Seed);
        var history = Train(encoder, head, images, options, "context prediction", batch =>
            Loss(ContextBatch(pairs, encoder, head, batch, g)), g);
        return new PretextRun("context", encoder, head, history, x => x, (x, gen) => Predicted(ContextBatch(pairs, encoder, head, x, gen)));
    }

    /// <summary>Colorization (<see cref="ColorizationTask"/>): from the lightness (<see cref="Lightness"/>) predict a
    /// distribution over the ab bins at every pixel of the last block's map upsampled 2x, class-rebalanced.</summary>
    /// <param name="encoder">trained in place; sees L only</param>
    /// <param name="images"><c>[N, 3, S, S]</c> RGB in 0..1</param>
    /// <param name="bins">the quantised ab space</param>
    /// <param name="options">the shared budget</param>
    public static PretextRun Colorization(ConvNet encoder, Tensor images, AbBins bins, PretextOptions options)
    {
        ArgumentNullException.ThrowIfNull(bins);
        Validate(encoder, images, options);
        var task = new ColorizationTask(bins, images, ModelUtils.DeviceOf(encoder));
        var head = Head(encoder, options, () => task.Head(encoder.OutputDim));
        var g = Course.Generator(options.Seed);
        var history = Train(encoder, head, images, options, "colorization", batch => task.Loss(encoder, head, batch), g);
        return new PretextRun("colorization", encoder, head, history, Lightness, (x, _) => task.Predict(encoder, head, x));
    }

    /// <summary>Supervised pre-training: a linear classifier on the encoder, cross-entropy with the labels (the
    /// reference row of a transfer table).</summary>
    /// <param name="encoder">trained in place</param>
    /// <param name="data">labelled images</param>
    /// <param name="options">the shared budget</param>
    public static PretextRun Supervised(ConvNet encoder, LabeledImages data, PretextOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(encoder, data.Images, options);
        var head = Head(encoder, options, () => new LinearClassifier(encoder.OutputDim, data.NumClasses));
        var g = Course.Generator(options.Seed);
        var history = Train(encoder, head, data.Images, options, "supervised", (batch, idx) =>
            CrossEntropy.Hard(head.call(encoder.call(batch)), data.Labels.index_select(0, idx.to(data.Labels.device)).to(batch.device)), g);
        // Supervised pre-training has no labels of its own to predict from pixels: score it with a probe instead.
        return new PretextRun("supervised", encoder, head, history, x => x, (_, _) =>
            throw new NotSupportedException("supervised pre-training has no pretext labels: score its features with a probe."));
    }

    /// <summary>The task's head, initialised from the options' seed (<see cref="SeededInit"/>) and placed beside the encoder.</summary>
    static T Head<T>(ConvNet encoder, PretextOptions o, Func<T> build) where T : Module =>
        (T)SeededInit.Build(o.Seed, build).to(ModelUtils.DeviceOf(encoder));

    static Tensor Loss((Tensor Logits, Tensor Labels) batch) => CrossEntropy.Hard(batch.Logits, batch.Labels);

    static (Tensor Predictions, Tensor Labels) Predicted((Tensor Logits, Tensor Labels) batch) => (batch.Logits.argmax(1), batch.Labels);

    static TrainHistory Train(ConvNet encoder, Module head, Tensor images, PretextOptions o, string task, Func<Tensor, Tensor> loss, Generator g) =>
        Train(encoder, head, images, o, task, (batch, _) => loss(batch), g);

    static TrainHistory Train(ConvNet encoder, Module head, Tensor images, PretextOptions o, string task, Func<Tensor, Tensor, Tensor> loss, Generator g)
    {
        encoder.train(); head.train();
        var parameters = encoder.parameters().Concat(head.parameters()).ToList();
        var optimizer = optim.Adam(parameters, lr: o.LearningRate, weight_decay: o.WeightDecay);
        long n = images.shape[0];
        int batch = (int)Math.Min(o.BatchSize, n);
        var device = ModelUtils.DeviceOf(encoder);
        var monitor = o.MonitorEvery > 0 && o.MonitorBank is { } bank && o.MonitorTest is { } test
            ? Monitors.Knn(encoder, task == "colorization" ? Grey(bank) : bank, task == "colorization" ? Grey(test) : test)
            : null;
        var history = Trainer.Run(o.Loop(task, o.Steps) with
        {
            Schedule = o.Schedule ?? new CosineSchedule(o.LearningRate, Math.Max(1, o.Steps), o.Steps / 20),
            MonitorEvery = monitor is null ? 0 : o.MonitorEvery,
            StepsPerEpoch = n / (double)batch,
        }, optimizer, _ =>
        {
            var idx = randint(0, n, [batch], dtype: ScalarType.Int64, generator: g);   // drawn on the CPU
            return loss(images.index_select(0, idx.to(images.device)).to(device), idx);  // the batch follows the model
        }, monitor);
        encoder.eval(); head.eval();
        return history;
    }

    static LabeledImages Grey(LabeledImages set) => new(Lightness(set.Images), set.Labels, set.ClassNames);

    static void Validate(ConvNet encoder, Tensor images, PretextOptions o)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(o);
        if (images.dim() != 4 || images.shape[1] != encoder.InChannels)
            throw new ArgumentException($"images must be [N, {encoder.InChannels}, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        o.ValidateCore(minBatch: 2);   // BatchNorm needs two images
        if (o.HeadHidden < 1) throw new ArgumentOutOfRangeException(nameof(o), o.HeadHidden, "PretextOptions.HeadHidden must be at least 1.");
    }
}
