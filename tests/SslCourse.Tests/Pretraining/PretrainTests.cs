using FluentAssertions;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Pretraining;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Pretraining;

public class PretrainTests
{
    [Fact]
    public void Unknown_method_and_dataset_are_named()
    {
        FluentActions.Invoking(() => PretrainMethods.Get("simclear")).Should().Throw<ArgumentException>()
            .WithMessage("*'simclear'*rotation*simclr*byol*");
        FluentActions.Invoking(() => PretrainData.Check("cifar")).Should().Throw<ArgumentException>().WithMessage("*'cifar'*toy, toy-shift, fmnist*");
        PretrainMethods.Names.Should().Contain(["supervised", "rotation", "simclr", "moco", "byol", "simsiam"]);
    }

    [Theory]
    [InlineData("supervised"), InlineData("rotation"), InlineData("simclr"), InlineData("moco"), InlineData("byol"), InlineData("simsiam")]
    public void Every_method_takes_steps_that_change_the_encoder(string name)
    {
        Course.Init(0);
        var train = new ToyObjects(seed: 0, size: 32).Train(32);
        var built = PretrainMethods.Get(name).Build(new PretrainSetup(() => new ConvNet(3, 0.25), 64, "toy", 10, 0));
        built.Model.train();
        var before = built.Encoder.state_dict()["blocks.0.conv.weight"].clone();
        var opt = optim.Adam(built.Parameters, lr: 1e-2);
        var loader = new DataLoader(train, 16, seed: 0, dropLast: true, views: built.Views);
        foreach (var batch in loader.Epoch())
        {
            opt.zero_grad();
            var loss = built.Loss(batch);
            loss.numel().Should().Be(1);
            double.IsFinite(loss.item<float>()).Should().BeTrue();
            loss.backward();
            opt.step();
            built.AfterStep?.Invoke(0.5);
        }
        built.Encoder.state_dict()["blocks.0.conv.weight"].allclose(before).Should().BeFalse($"{name} must train the encoder it saves");
    }

    [Fact]
    public void A_short_run_saves_a_checkpoint_whose_knn_reproduces()
    {
        Course.Init(0);
        var dir = Repo.TempDir("pretrain");
        var result = Pretrainer.Run(new PretrainOptions { Method = "rotation", Steps = 2, Minutes = null, Images = 64, BatchSize = 16, Width = 0.25, ShowProgress = false, Command = "test" });
        var path = Path.Combine(dir, "rotation-toy.pt");
        var info = Pretrainer.Save(result, path);
        Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo(["rotation-toy.pt", "rotation-toy.pt.json"], "writes go through temporary files");
        info.Metrics.Keys.Should().Contain(["knn", "probe", "probe10", "minutes", "steps", "epochs", "images_seen"]);
        info.Metrics["steps"].Should().Be(2);
        info.Metrics["images_seen"].Should().Be(32);
        info.Config["command"].Should().Be("test");
        info.LibraryVersion.Should().Be(Course.Version);

        var (encoder, loaded) = PretrainedEncoder.Load(path);
        loaded.Method.Should().Be("rotation");
        Pretrainer.KnnAccuracy(encoder, "toy").Should().BeApproximately(info.Metrics["knn"], 0.003);
    }

    [Fact]
    public void Corrupt_and_incompatible_checkpoints_are_reported()
    {
        Course.Init(0);
        var dir = Repo.TempDir("pretrain-bad");
        using var enc = new ConvNet(3, 0.25);
        var info = new CheckpointInfo { Method = "simclr", Config = new() { ["in_channels"] = "3", ["width"] = "0.25", ["dataset"] = "toy" } };
        var good = Path.Combine(dir, "good.pt");
        Checkpoint.Save(enc, good, info);
        PretrainedEncoder.Load(good).Encoder.Widths.Should().Equal([8, 16, 32, 64]);

        // truncated weights
        var truncated = Path.Combine(dir, "truncated.pt");
        File.WriteAllBytes(truncated, File.ReadAllBytes(good)[..200]);
        File.Copy(Checkpoint.ManifestPath(good), Checkpoint.ManifestPath(truncated));
        FluentActions.Invoking(() => PretrainedEncoder.Load(truncated)).Should().Throw<InvalidDataException>().WithMessage("*truncated.pt*corrupt*");

        // broken manifest
        var badJson = Path.Combine(dir, "badjson.pt");
        File.Copy(good, badJson);
        File.WriteAllText(Checkpoint.ManifestPath(badJson), "{ \"Method\": \"simclr\", ");
        FluentActions.Invoking(() => PretrainedEncoder.Load(badJson)).Should().Throw<InvalidDataException>().WithMessage("*badjson.pt.json*corrupt*");

        // a manifest that promises another width: the shapes do not fit
        var wider = Path.Combine(dir, "wider.pt");
        Checkpoint.Save(enc, wider, info with { Config = new(info.Config) { ["width"] = "0.5" } });
        FluentActions.Invoking(() => PretrainedEncoder.Load(wider)).Should().Throw<InvalidDataException>().WithMessage("*wider.pt*does not fit*shape*");

        // an old manifest without the encoder's shape, an unknown method, a missing file
        var old = Path.Combine(dir, "old.pt");
        Checkpoint.Save(enc, old, new CheckpointInfo { Method = "simclr" });
        FluentActions.Invoking(() => PretrainedEncoder.Load(old)).Should().Throw<InvalidDataException>().WithMessage("*old.pt*incompatible*in_channels*");
        var alien = Path.Combine(dir, "alien.pt");
        Checkpoint.Save(enc, alien, info with { Method = "dino" });
        FluentActions.Invoking(() => PretrainedEncoder.Load(alien)).Should().Throw<InvalidDataException>().WithMessage("*unknown method 'dino'*");
        FluentActions.Invoking(() => PretrainedEncoder.Load(Path.Combine(dir, "none.pt"))).Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void Cli_rejects_a_bad_method_dataset_or_budget()
    {
        var dir = Repo.TempDir("pretrain-cli");
        var r = CliProcess.Run(Repo.Root, TimeSpan.FromSeconds(60), "pretrain", "simclear", "--minutes", "1");
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("unknown method 'simclear'").And.Contain("simclr");
        r = CliProcess.Run(Repo.Root, TimeSpan.FromSeconds(60), "pretrain", "simclr", "--minutes", "1", "--dataset", "cifar");
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("--dataset 'cifar'");
        r = CliProcess.Run(Repo.Root, TimeSpan.FromSeconds(60), "pretrain", "simclr", "--minutes", "-3", "--out", dir);
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("--minutes '-3'");
        r = CliProcess.Run(Repo.Root, TimeSpan.FromSeconds(60), "pretrain", "simclr", "--steps", "1", "--views", "bright", "--out", dir);
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("--views 'bright'").And.Contain("default or strong");
        r = CliProcess.Run(Repo.Root, TimeSpan.FromSeconds(60), "pretrain", "rotation", "--steps", "1", "--views", "strong", "--out", dir);
        r.ExitCode.Should().Be(2, "rotation does not train on two views");
        r.Stderr.Should().Contain("two-view methods").And.Contain("simclr, moco, byol, simsiam").And.Contain("not to rotation");
        r = CliProcess.Run(Repo.Root, TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["SSL_COURSE_DATA"] = dir },
            "pretrain", "simclr", "--dataset", "fmnist", "--steps", "1", "--out", dir);
        r.ExitCode.Should().Be(2, "missing data is reported in one line, not as a crash");
        r.Stderr.Should().Contain("train-images-idx3-ubyte").And.Contain(dir).And.NotContain("   at ");
        Directory.GetFiles(dir).Should().BeEmpty();
    }

    [Theory]
    [InlineData("toy", "strong SimCLR views: crop 0.08-1")]
    [InlineData("fmnist", "strong SimCLR views on gray images: crop 0.08-1")]
    public void Strong_views_train_and_the_manifest_says_so(string dataset, string views)
    {
        Course.Init(0);
        var result = Pretrainer.Run(new PretrainOptions { Method = "simclr", Dataset = dataset, Steps = 3, Minutes = null, Images = 64, BatchSize = 16, Width = 0.25, ShowProgress = false, Views = ViewStrength.Strong });
        result.History.Loss.Should().HaveCount(3).And.OnlyContain(l => double.IsFinite(l));
        result.Info.Config["views"].Should().StartWith(views);
        var setup = PretrainSetup.For(dataset, PretrainData.Channels(dataset), 0.25, 10, 0);
        (setup with { Strength = ViewStrength.Strong }).ViewDescription.Should().NotBe(setup.ViewDescription);
    }
}
