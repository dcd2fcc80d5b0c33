using FluentAssertions;
using SslCourse.Pretraining;
using Xunit;

namespace SslCourse.Tests.Pretraining;

/// <summary>The checkpoints shipped in data/checkpoints/: present, small, and each reproduces its recorded kNN accuracy.</summary>
public class ShippedCheckpointTests
{
    public static TheoryData<string> Shipped()
    {
        var data = new TheoryData<string>();
        foreach (var p in Directory.GetFiles(Path.Combine(Repo.Root, "data", "checkpoints"), "*.pt")) data.Add(Path.GetFileName(p));
        return data;
    }

    [Fact]
    public void The_course_checkpoints_ship_and_stay_small()
    {
        var dir = Path.Combine(Repo.Root, "data", "checkpoints");
        foreach (var name in new[] { "simclr-toy.pt", "byol-toy.pt", "simclr-toy-1k.pt", "simclr-toy-shift.pt" })
        {
            File.Exists(Path.Combine(dir, name)).Should().BeTrue(name);
            File.Exists(Path.Combine(dir, name + ".json")).Should().BeTrue(name + ".json");
        }
        Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length).Should().BeLessThan(40L << 20);
    }

    [Fact]
    public void Every_method_ships_a_matched_budget_checkpoint_on_each_of_its_datasets()
    {
        foreach (var method in PretrainMethods.Names)
            foreach (var dataset in SslCourse.Cli.Bench.MatchedBudget.Datasets(method))
            {
                var path = PretrainedEncoder.Shipped(method, dataset, "matched");
                File.Exists(path).Should().BeTrue(path);
                var info = PretrainedEncoder.ReadInfo(path);
                info.Config["command"].Should().Contain($"--steps ").And.Contain("--width 0.5").And.Contain("--batch 128", "the matched set shares encoder and batch");
                info.Config["threads"].Should().Be("2");
            }
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Each_reproduces_its_recorded_knn_accuracy(string file)
    {
        Course.Init(0);
        var (encoder, info) = PretrainedEncoder.Load(Path.Combine(Repo.Root, "data", "checkpoints", file));
        file.Should().StartWith($"{info.Method}-{info.Config["dataset"]}");
        info.Config["command"].Should().StartWith($"ssl-course pretrain {info.Method}");
        info.Metrics.Keys.Should().Contain(["knn", "probe", "probe10", "minutes", "epochs", "images_seen"]);
        Pretrainer.KnnAccuracy(encoder, info.Config["dataset"], PretrainedEncoder.Input(info.Config)).Should().BeApproximately(info.Metrics["knn"], 0.005, "the manifest records what the weights measure");
    }
}
