using SslCourse.Augment;
using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SslCourse.Pretraining;

/// <summary>What a method needs to build its model: a fresh encoder factory and the data's shape.</summary>
/// <param name="MakeEncoder">builds a fresh default <see cref="ConvNet"/> (methods with a target network call it twice)</param>
/// <param name="FeatureDim">the encoder's output dimension</param>
/// <param name="Dataset">"toy" or "fmnist"</param>
/// <param name="Classes">label classes (used by the supervised method)</param>
/// <param name="Seed">seeds the method's own randomness (e.g. MoCo's initial queue)</param>
public sealed record PretrainSetup(Func<ConvNet> MakeEncoder, int FeatureDim, string Dataset, int Classes, int Seed)
{
    /// <summary>The setup of a default <see cref="ConvNet"/> of <paramref name="width"/> on <paramref name="channels"/>-channel images.</summary>
    public static PretrainSetup For(string dataset, int channels, double width, int classes, int seed) =>
        new(() => new ConvNet(channels, width), new ConvNet(channels, width).OutputDim, dataset, classes, seed);

    /// <summary>The training images, for methods that read statistics of the data before training (colorization's
    /// rebalancing prior); null where no method needs them.</summary>
    public Tensor? Images { get; init; }

    /// <summary>Image side (32 for toy, 28 for fmnist).</summary>
    public int Size => PretrainData.Size(Dataset);

    /// <summary>How strong the two-view methods' views are (<see cref="View"/>); the other methods ignore it.</summary>
    public ViewStrength Strength { get; init; } = ViewStrength.Default;

    /// <summary>The two-view recipe shared by the contrastive and non-contrastive methods. Default, the same as notebook
    /// 08's: toy: SimCLR's crop (0.2-1) + flip, colour jitter at strength 0.5, grayscale 0.2, no blur (32x32); fmnist
    /// (grayscale): crop (0.3-1) + flip + brightness/contrast in [0.6, 1.4] (the calibration recipe). Strong: SimCLR's
    /// ImageNet recipe (Chen et al., ICML 2020, appendix A): crop 0.08-1 + flip and jitter at strength 1.0; toy: with
    /// grayscale 0.2 and no blur (the paper's CIFAR-10 setting leaves it out); fmnist: brightness and contrast (the
    /// jitter's part that acts on gray images) and blur p 0.5.</summary>
    public Func<Tensor, Generator, Tensor> View => Recipe.View;

    /// <summary>The words of <see cref="View"/> for a manifest.</summary>
    public string ViewDescription => Recipe.Words;

    (Func<Tensor, Generator, Tensor> View, string Words) Recipe => (Dataset != "fmnist", Strength) switch
    {
        (true, ViewStrength.Strong) => (ViewRecipes.SimClr(32, strength: 1.0, blur: false, scaleMin: 0.08).Apply,
            "strong SimCLR views: crop 0.08-1 + flip, colour jitter strength 1.0 (p 0.8), grayscale 0.2, no blur"),
        (true, _) => (ViewRecipes.SimClr(32, strength: 0.5, blur: false, scaleMin: 0.2).Apply,
            "SimCLR views: crop 0.2-1 + flip, colour jitter strength 0.5 (p 0.8), grayscale 0.2, no blur"),
        (false, ViewStrength.Strong) => (ViewRecipes.SimClr(Size, strength: 1.0, blur: true, scaleMin: 0.08, channels: 1).Apply,
            "strong SimCLR views on gray images: crop 0.08-1 + flip, brightness/contrast 0.2-1.8 (p 0.8), blur p 0.5"),
        (false, _) => (ViewRecipes.CropFlipContrast, "crop 0.3-1 + flip + brightness/contrast 0.6-1.4"),
    };

    /// <summary>A light view for the supervised and rotation methods: crop (0.5-1) with flip.</summary>
    public Func<Tensor, Generator, Tensor> LightView => new RandomResizedCrop(Size, scaleMin: 0.5).Apply;

    /// <summary>The images as they are, for the pretext tasks that draw their own patches, tiles or colours.</summary>
    public static Func<Tensor, Generator, Tensor> AsIs => (x, _) => x;
}

/// <summary>How strong the two views of the contrastive and non-contrastive methods are (<see cref="PretrainSetup.View"/>).</summary>
public enum ViewStrength
{
    /// <summary>The course's views, those of notebook 08.</summary>
    Default,
    /// <summary>SimCLR's ImageNet recipe: smaller crops and twice the colour jitter (a lever of the bench's +10 goal).</summary>
    Strong,
}

/// <summary>One method, built: the module that trains, the parameters the optimizer sees, the loader's views, the
/// loss of a batch, and an optional update after each optimizer step (EMA of a target network).</summary>
public sealed class PretrainModel
{
    /// <summary>Everything that trains (encoder and heads).</summary>
    public required nn.Module Model { get; init; }
    /// <summary>The encoder kept for downstream tasks (it is what the checkpoint saves).</summary>
    public required ConvNet Encoder { get; init; }
    /// <summary>The parameters the optimizer updates.</summary>
    public required IEnumerable<Parameter> Parameters { get; init; }
    /// <summary>The loader's views of each batch.</summary>
    public required IReadOnlyList<Func<Tensor, Generator, Tensor>> Views { get; init; }
    /// <summary>The scalar loss of one batch.</summary>
    public required Func<Batch, Tensor> Loss { get; init; }
    /// <summary>Called after each optimizer step with the training progress in [0, 1] (e.g. BYOL's EMA, whose
    /// momentum follows a cosine from its base to 1).</summary>
    public Action<double>? AfterStep { get; init; }
    /// <summary>The method's hyperparameters, for the manifest.</summary>
    public required Dictionary<string, string> Config { get; init; }
    /// <summary>The method's own optimisation from its paper, given the batch size (SimSiam: <see cref="SimSiamRecipe"/>);
    /// null: the course's shared Adam recipe (<see cref="OptimizerRecipe.Adam"/>).</summary>
    public Func<int, OptimizerRecipe>? Recipe { get; init; }
}

/// <summary>Trains <paramref name="encoder"/> in place on a pretext task at the shared budget of notebooks 04-07
/// (<see cref="PretextTraining"/>).</summary>
/// <param name="encoder">trained in place</param>
/// <param name="images"><c>[N, C, S, S]</c> unlabelled training images</param>
/// <param name="options">steps, batch, seed</param>
public delegate PretextRun PretextTrainer(ConvNet encoder, Tensor images, PretextOptions options);

/// <summary>A method the course teaches, as the one registry (<see cref="PretrainMethods"/>) holds it.</summary>
/// <param name="Name">the name on the command line and in the notebooks ("simclr")</param>
/// <param name="Summary">one line: the paper and the recipe</param>
/// <param name="Build">builds the model for a setup (what <c>ssl-course pretrain</c> trains)</param>
/// <param name="OwnRecipe">true when the built model brings its own optimisation recipe (<see cref="PretrainModel.Recipe"/>)</param>
public sealed record PretrainMethod(string Name, string Summary, Func<PretrainSetup, PretrainModel> Build, bool OwnRecipe = false)
{
    /// <summary>How <see cref="PretextTraining"/> trains it at the shared pretext budget of notebooks 04-07 (an MLP head,
    /// batches of 64 raw images); null for the methods it does not drive.</summary>
    public PretextTrainer? Pretext { get; init; }
    /// <summary>What the encoder sees per source image in a step ("2 views", "4 rotations", "9 tiles").</summary>
    public string Inputs { get; init; } = "2 views";
}

/// <summary>
/// The registry of pre-training methods <c>ssl-course pretrain</c> offers. Each is built from the same library
/// pieces the notebooks use (models in <see cref="Models"/>, losses in <see cref="Losses"/>, views in
/// <see cref="Augment"/>), with the small-image settings of notebooks 07-09.
/// </summary>
public static class PretrainMethods
{
    /// <summary>Supervised pre-training, the reference row.</summary>
    public static PretrainMethod Supervised { get; } = new("supervised", "cross-entropy on every training label (crop 0.5-1 + flip): the supervised pre-training baseline", SupervisedModel) { Inputs = "1 view" };
    /// <summary>RotNet: 4-way rotation prediction.</summary>
    public static PretrainMethod Rotation { get; } = new("rotation", "RotNet (Gidaris, Singh and Komodakis, ICLR 2018): 4-way rotation classification, all four rotations in each batch", RotationModel)
    {
        Inputs = "4 rotations",
        Pretext = PretextTraining.Rotation,
    };
    /// <summary>Colorization over <see cref="AbBins.Default"/>.</summary>
    public static PretrainMethod Colorization { get; } = new("colorization", "colorization (Zhang, Isola and Efros, ECCV 2016): ab bins from the lightness, class-rebalanced; colour images only", ColorizationModel)
    {
        Inputs = "1 lightness image, per-pixel ab bins",
        Pretext = (encoder, images, options) => PretextTraining.Colorization(encoder, images, AbBins.Default, options),
    };
    /// <summary>Context prediction with 9-pixel patches (8 below 31 pixels), gap 1, jitter 1.</summary>
    public static PretrainMethod Context { get; } = new("context", "context prediction (Doersch, Gupta and Efros, ICCV 2015): which of 8 neighbours, both patches in one forward pass", ContextModel)
    {
        Inputs = "2 patches",
        Pretext = (encoder, images, options) => PretextTraining.Context(encoder, images, ContextPairsFor((int)images.shape[2]), options),
    };
    /// <summary>The jigsaw puzzle with 100 greedy permutations and a gap of 2.</summary>
    public static PretrainMethod Jigsaw { get; } = new("jigsaw", "jigsaw (Noroozi and Favaro, ECCV 2016): 100 greedy permutations of 3x3 tiles, context-free network", JigsawModel)
    {
        Inputs = "9 tiles",
        Pretext = (encoder, images, options) => PretextTraining.Jigsaw(encoder, images, NewJigsaw(), options),
    };
    /// <summary>SimCLR.</summary>
    public static PretrainMethod SimClr { get; } = new("simclr", "SimCLR (Chen et al., ICML 2020): NT-Xent at T = 0.2 on two views, projection head 512-128", SimClrModel);
    /// <summary>MoCo v2.</summary>
    public static PretrainMethod MoCo { get; } = new("moco", "MoCo v2 (Chen et al., arXiv 2020): InfoNCE against a queue of 4096 keys from a momentum encoder (m = 0.99)", MoCoModel);
    /// <summary>BYOL.</summary>
    public static PretrainMethod Byol { get; } = new("byol", "BYOL (Grill et al., NeurIPS 2020): predictor + EMA target (momentum 0.99 -> 1, cosine), projection 512-128", ByolModel);
    /// <summary>SimSiam, with its own recipe.</summary>
    public static PretrainMethod SimSiam { get; } = new("simsiam", "SimSiam (Chen and He, CVPR 2021): predictor + stop-gradient, no target network; SGD 0.05 x batch/256, momentum 0.9, cosine, predictor at a fixed lr", SimSiamModel, OwnRecipe: true);

    /// <summary>The methods trained on two views of each image (<see cref="PretrainSetup.View"/>): the ones
    /// <see cref="PretrainSetup.Strength"/> applies to.</summary>
    public static IReadOnlyList<PretrainMethod> TwoView { get; } = [SimClr, MoCo, Byol, SimSiam];

    /// <summary>Throws unless <paramref name="views"/> is the default or <paramref name="method"/> trains on two views
    /// (<see cref="TwoView"/>): only those have views to make stronger.</summary>
    /// <exception cref="ArgumentException">non-default views for a method that is not two-view; named <paramref name="paramName"/></exception>
    public static void CheckViews(PretrainMethod method, ViewStrength views, string paramName)
    {
        if (views != ViewStrength.Default && !TwoView.Contains(method))
            throw new ArgumentException($"Views {views} applies to the two-view methods ({string.Join(", ", TwoView.Select(m => m.Name))}), not to {method.Name}.", paramName);
    }

    /// <summary>Every method, in the order of the course.</summary>
    public static IReadOnlyList<PretrainMethod> All { get; } = [Supervised, Rotation, Colorization, Context, Jigsaw, SimClr, MoCo, Byol, SimSiam];

    /// <summary>The hand-made pretext tasks of notebooks 04-06 that <see cref="TrainPretext"/> trains at the shared
    /// pretext budget (rotation and supervised have their own <see cref="PretextTraining"/> entry points).</summary>
    public static IReadOnlyList<string> PretextTasks { get; } = [Colorization.Name, Context.Name, Jigsaw.Name];

    /// <summary>Trains <paramref name="encoder"/> on one of <see cref="PretextTasks"/> at the shared pretext budget.</summary>
    /// <param name="task">"colorization", "context" or "jigsaw"</param>
    /// <param name="encoder">trained in place</param>
    /// <param name="images"><c>[N, C, S, S]</c></param>
    /// <param name="options">steps, batch, seed</param>
    /// <exception cref="ArgumentException">an unknown task; the message lists the valid ones</exception>
    public static PretextRun TrainPretext(string task, ConvNet encoder, Tensor images, PretextOptions options) =>
        (PretextTasks.Contains(task) ? Get(task).Pretext : null)?.Invoke(encoder, images, options)
        ?? throw new ArgumentException($"unknown pretext task '{task}'; expected one of: {string.Join(", ", PretextTasks)}.", nameof(task));

    static ContextPairs ContextPairsFor(int side) => new(patch: side >= 31 ? 9 : 8, gap: 1, jitter: 1);

    static Augment.Jigsaw NewJigsaw() => new(GreedyPermutations.Greedy(100), gap: 2);

    /// <summary>The method names.</summary>
    public static IReadOnlyList<string> Names => All.Select(m => m.Name).ToArray();

    /// <summary>True when the method trains with its own recipe from its paper (<see cref="PretrainModel.Recipe"/>) rather
    /// than the shared Adam one.</summary>
    public static bool HasOwnRecipe(string name) => Get(name).OwnRecipe;

    /// <summary>The method called <paramref name="name"/>: the one place a name becomes an entry.</summary>
    /// <exception cref="ArgumentException">no such method; the message lists the valid names</exception>
    public static PretrainMethod Get(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"unknown pre-training method '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name));

    static PretrainModel SupervisedModel(PretrainSetup s)
    {
        var encoder = s.MakeEncoder();
        var head = new LinearClassifier(s.FeatureDim, s.Classes);
        var model = OnCourseDevice(nn.Sequential(("encoder", encoder), ("head", head)));
        return new PretrainModel
        {
            Model = model, Encoder = encoder, Parameters = model.parameters(), Views = [s.LightView],
            Loss = b => nn.functional.cross_entropy(model.call(OnModel(model, b.Views[0])), OnModel(model, b.Labels)),
            Config = new() { ["head"] = $"linear {s.FeatureDim}-{s.Classes}", ["views"] = "crop 0.5-1 + flip" },
        };
    }

    static PretrainModel RotationModel(PretrainSetup s)
    {
        var encoder = s.MakeEncoder();
        var head = new LinearClassifier(s.FeatureDim, 4);
        var model = OnCourseDevice(nn.Sequential(("encoder", encoder), ("head", head)));
        return new PretrainModel
        {
            Model = model, Encoder = encoder, Parameters = model.parameters(), Views = [s.LightView],
            Loss = b =>
            {
                var (images, labels) = Rotations.Expand(OnModel(model, b.Views[0]));   // [4B, C, H, W], [4B]
                return nn.functional.cross_entropy(model.call(images), labels);
            },
            Config = new() { ["head"] = $"linear {s.FeatureDim}-4", ["views"] = "crop 0.5-1 + flip, then all 4 rotations" },
        };
    }

    static PretrainModel ColorizationModel(PretrainSetup s)
    {
        var images = s.Images ?? throw new ArgumentException("colorization reads the training images' colour prior: the setup must carry its images.", nameof(s));
        var encoder = s.MakeEncoder();
        var task = new ColorizationTask(AbBins.Default, images, Course.Device);
        var head = task.Head(s.FeatureDim);
        var model = OnCourseDevice(nn.Sequential(("encoder", encoder), ("head", head)));
        return new PretrainModel
        {
            Model = model, Encoder = encoder, Parameters = model.parameters(), Views = [PretrainSetup.AsIs],
            Loss = b => task.Loss(encoder, head, OnModel(model, b.Views[0])),
            Config = new() { ["head"] = $"pixel classifier {s.FeatureDim}-128-{AbBins.Default.Count} at {task.Side}x{task.Side}", [PretrainedEncoder.InputKey] = PretrainedEncoder.LightnessInput, ["views"] = "the image as it is" },
        };
    }

    static PretrainModel ContextModel(PretrainSetup s)
    {
        var encoder = s.MakeEncoder();
        var head = Mlp.Build(2 * s.FeatureDim, PretextOptions.DefaultHeadHidden, 8);
        var model = OnCourseDevice(nn.Sequential(("encoder", encoder), ("head", head)));
        var pairs = ContextPairsFor(s.Size);
        var g = Course.Generator(s.Seed + 1);
        return new PretrainModel
        {
            Model = model, Encoder = encoder, Parameters = model.parameters(), Views = [PretrainSetup.AsIs],
            Loss = b => CrossEntropyOnModel(model, PretextTraining.ContextBatch(pairs, encoder, head, b.Views[0], g)),
            Config = new() { ["head"] = $"MLP {2 * s.FeatureDim}-{PretextOptions.DefaultHeadHidden}-8", ["views"] = $"patches {pairs.Patch}, gap 1, jitter 1" },
        };
    }

    static PretrainModel JigsawModel(PretrainSetup s)
    {
        var encoder = s.MakeEncoder();
        var jigsaw = NewJigsaw();
        int tiles = jigsaw.Grid * jigsaw.Grid;
        var head = Mlp.Build(tiles * s.FeatureDim, PretextOptions.DefaultHeadHidden, jigsaw.Set.Count);
        var model = OnCourseDevice(nn.Sequential(("encoder", encoder), ("head", head)));
        var g = Course.Generator(s.Seed + 1);
        return new PretrainModel
        {
            Model = model, Encoder = encoder, Parameters = model.parameters(), Views = [PretrainSetup.AsIs],
            Loss = b => CrossEntropyOnModel(model, PretextTraining.JigsawBatch(jigsaw, encoder, head, b.Views[0], g)),
            Config = new() { ["head"] = $"MLP {tiles * s.FeatureDim}-{PretextOptions.DefaultHeadHidden}-{jigsaw.Set.Count}", ["views"] = "3x3 tiles, gap 2, 100 greedy permutations" },
        };
    }

    static PretrainModel SimClrModel(PretrainSetup s)
    {
        var encoder = s.MakeEncoder();
        return TwoViews(s, new Models.SimClr(encoder, s.FeatureDim, hidden: 512, projectionDim: 128, temperature: 0.2), encoder, null,
            new() { ["temperature"] = "0.2", ["projector"] = "512-128", ["views"] = s.ViewDescription });
    }

    static PretrainModel MoCoModel(PretrainSetup s)
    {
        ConvNet? first = null;
        var model = new Models.MoCo(() => { var e = s.MakeEncoder(); first ??= e; return e; }, s.FeatureDim, queueSize: 4096,
            projectionDim: 128, hidden: 512, temperature: 0.2, generator: Course.Generator(s.Seed + 1));
        return TwoViews(s, model, first!, _ => model.UpdateTarget(0.99),
            new() { ["temperature"] = "0.2", ["queue"] = "4096", ["momentum"] = "0.99", ["projector"] = "512-128", ["views"] = s.ViewDescription });
    }

    static PretrainModel ByolModel(PretrainSetup s)
    {
        ConvNet? first = null;
        var model = new Models.Byol(() => { var e = s.MakeEncoder(); first ??= e; return e; }, s.FeatureDim, hidden: 512, projectionDim: 128);
        return TwoViews(s, model, first!, progress => model.UpdateTarget(MomentumSchedule.Cosine(progress, baseMomentum: 0.99)),
            new() { ["momentum"] = "0.99 -> 1 (cosine)", ["projector"] = "512-128", ["predictor"] = "512-128", ["views"] = s.ViewDescription });
    }

    static PretrainModel SimSiamModel(PretrainSetup s)
    {
        var encoder = s.MakeEncoder();
        var model = new Models.SimSiam(encoder, s.FeatureDim, projectionDim: 512, predictorHidden: 128);
        return TwoViews(s, model, encoder, null, new() { ["projector"] = "512", ["predictor"] = "512-128-512", ["views"] = s.ViewDescription },
            recipe: batch => SimSiamRecipe.For(model, batch));
    }

    /// <summary>The placement rule: a model the library builds goes to <see cref="Course.Device"/>, before its parameters
    /// are handed to an optimizer (moving a module replaces its parameter tensors).</summary>
    static T OnCourseDevice<T>(T model) where T : nn.Module { model.to(Course.Device); return model; }

    /// <summary>Inputs follow the model: <paramref name="x"/> on the device of <paramref name="model"/>'s weights.</summary>
    static Tensor OnModel(nn.Module model, Tensor x) => x.to(ModelUtils.DeviceOf(model));

    static Tensor CrossEntropyOnModel(nn.Module model, (Tensor Logits, Tensor Labels) batch) =>
        nn.functional.cross_entropy(batch.Logits, OnModel(model, batch.Labels));

    /// <summary>A two-view method of the one method API (<see cref="ISslMethod"/>) on the setup's views.</summary>
    static PretrainModel TwoViews(PretrainSetup s, ISslMethod method, ConvNet encoder, Action<double>? afterStep, Dictionary<string, string> config,
        Func<int, OptimizerRecipe>? recipe = null) => new()
    {
        Model = OnCourseDevice((nn.Module)method), Encoder = encoder, Parameters = method.TrainableParameters(), Views = [s.View, s.View],
        Loss = b => method.Loss(b.Views[0], b.Views[1]), AfterStep = afterStep, Config = config, Recipe = recipe,
    };

}
