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

    [Fact]
    public void Each_row_of_the_matched_script_is_the_checkpoint_it_names_with_its_steps_width_views_and_format()
    {
        var script = File.ReadAllText(Path.Combine(Repo.Root, "scripts", "pretrain-matched.sh"));
        int start = script.IndexOf("<<'TABLE'\n", StringComparison.Ordinal), end = script.LastIndexOf("\nTABLE", StringComparison.Ordinal);
        start.Should().BePositive("the script keeps its runs in a TABLE heredoc");
        var rows = script[(start + "<<'TABLE'\n".Length)..end].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        rows.Should().HaveCount(21, "17 matched runs and four levers");
        foreach (var r in rows)
        {
            string Column(int i, string fallback) => r.Length > i ? r[i] : fallback;
            var (method, dataset, steps) = (r[0], r[1], r[2]);
            var info = PretrainedEncoder.ReadInfo(PretrainedEncoder.Shipped(method, dataset, Column(4, "matched")));
            string row = string.Join(' ', r);
            info.Config["max_steps"].Should().Be(steps, row);
            info.Metrics["steps"].Should().Be(double.Parse(steps, System.Globalization.CultureInfo.InvariantCulture), row);
            info.Config["width"].Should().Be(Column(3, "0.5"), row);
            info.Config.GetValueOrDefault("step_format", "fp32").Should().Be(Column(6, "fp32"), row);
            if (Column(5, "default") == "strong") info.Config["views"].Should().StartWith("strong", row);
            else info.Config["views"].Should().NotContain("strong", row);
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
