using FluentAssertions;
using SslCourse.Models;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public class CheckpointTests
{
    [Fact]
    public void Round_trip_keeps_weights_and_metadata()
    {
        Course.Init(0);
        var dir = Repo.TempDir("ckpt");
        var path = Path.Combine(dir, "enc.bin");
        using var a = new ConvNet(1, width: 0.25);
        a.call(randn(4, 1, 16, 16)); // BatchNorm statistics move
        var info = Checkpoint.Save(a, path, new CheckpointInfo
        {
            Method = "simclr", Config = new() { ["temperature"] = "0.5" }, Data = "fashion-mnist 10k", Seed = 3, Budget = "200 steps",
            Metrics = new() { ["knn"] = 0.81 },
        });
        info.Architecture.Should().Be("ConvNet");
        info.LibraryVersion.Should().Be(Course.Version);
        Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo(["enc.bin", "enc.bin.json"], "no temporary file is left");

        Course.Init(1);
        using var b = new ConvNet(1, width: 0.25);
        var loaded = Checkpoint.Load(b, path);
        loaded.Method.Should().Be("simclr");
        loaded.Metrics["knn"].Should().Be(0.81);
        loaded.Config["temperature"].Should().Be("0.5");
        loaded.Seed.Should().Be(3);
        var sa = a.state_dict(); var sb = b.state_dict();
        foreach (var (name, t) in sa) t.Equals(sb[name]).Should().BeTrue(name);
    }

    [Fact]
    public void Loading_another_architecture_names_the_mismatch()
    {
        Course.Init(0);
        var path = Path.Combine(Repo.TempDir("ckpt"), "enc.bin");
        using var narrow = new ConvNet(1, width: 0.25);
        Checkpoint.Save(narrow, path, new CheckpointInfo { Method = "rotation" });
        using var wide = new ConvNet(1, width: 0.5);
        FluentActions.Invoking(() => Checkpoint.Load(wide, path)).Should().Throw<InvalidDataException>()
            .WithMessage("*rotation*blocks.0.conv.weight' has shape [8, 1, 3, 3] in the checkpoint but [16, 1, 3, 3] here*");
        using var head = new LinearClassifier(8, 2);
        FluentActions.Invoking(() => Checkpoint.Load(head, path)).Should().Throw<InvalidDataException>()
            .WithMessage("*'fc.weight' is missing from the checkpoint*");
        FluentActions.Invoking(() => Checkpoint.Load(head, path + ".nope")).Should().Throw<FileNotFoundException>();
    }
}
