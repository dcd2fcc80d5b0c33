using System.Buffers.Binary;
using FluentAssertions;
using SslCourse.Native;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Native;

public class TorchLoaderTests
{
    static string LibTorchSharp =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void A_training_step_runs_and_lowers_the_loss()
    {
        Course.Init(seed: 1);
        using var scope = NewDisposeScope();
        var model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1));
        var x = randn(64, 4);
        var y = x.sum(1, keepdim: true);
        var opt = optim.SGD(model.parameters(), 0.05);
        float first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            opt.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        last.Should().BeLessThan(first / 4);
        TorchLoader.Report.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Init_keeps_glibc_from_returning_libtorchs_buffers_after_every_step()
    {
        Course.Init();
        if (!OperatingSystem.IsLinux() || string.Equals(Environment.GetEnvironmentVariable("SSL_COURSE_MALLOC"), "system", StringComparison.OrdinalIgnoreCase))
        {
            NativeAllocator.IsTuned.Should().BeFalse();
            return;
        }
        NativeAllocator.IsTuned.Should().BeTrue("mallopt accepts the three settings on glibc");
        NativeAllocator.Tune().Should().BeTrue("a second call keeps the first one's outcome");
        Course.Describe().Should().NotContain("system malloc");
    }

    [Fact]
    public void Seeded_runs_repeat()
    {
        Course.Init(seed: 7);
        var a = randn(5).data<float>().ToArray();
        Course.Init(seed: 7);
        var b = randn(5).data<float>().ToArray();
        a.Should().Equal(b);
    }

    [Fact]
    public void The_version_needs_of_LibTorchSharp_are_read_and_the_missing_one_can_be_marked_weak()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(LibTorchSharp)) return;
        var image = File.ReadAllBytes(LibTorchSharp);
        var needs = ElfVersionNeeds.Read(image, LibTorchSharp);
        needs.Should().Contain(n => n.File == "libstdc++.so.6" && n.Name == "GLIBCXX_3.4.30");
        var need = needs.Single(n => n.Name == "GLIBCXX_3.4.32");
        need.IsWeak.Should().BeFalse();

        ElfVersionNeeds.MarkWeak(image, [need]);
        var after = ElfVersionNeeds.Read(image, LibTorchSharp);
        after.Single(n => n.Name == "GLIBCXX_3.4.32").IsWeak.Should().BeTrue();
        after.Where(n => n.Name != "GLIBCXX_3.4.32").Should().OnlyContain(n => !n.IsWeak, "nothing else changes");
    }

    [Fact]
    public void The_patched_copy_lives_in_the_user_cache_and_the_original_is_untouched()
    {
        Course.Init();
        if (!OperatingSystem.IsLinux() || !File.Exists(LibTorchSharp)) return;
        var original = ElfVersionNeeds.Read(File.ReadAllBytes(LibTorchSharp), LibTorchSharp);
        original.Should().OnlyContain(n => !n.IsWeak, "the NuGet cache is never patched");
        if (TorchLoader.Report!.Contains("marked weak"))
            TorchLoader.Report.Should().Contain(TorchLoader.CacheRoot);
    }

    [Fact]
    public void A_file_that_is_not_x86_64_ELF_is_explained()
    {
        var notElf = () => ElfVersionNeeds.Machine(new byte[64], "libX.so");
        notElf.Should().Throw<InvalidDataException>().WithMessage("libX.so: not an ELF file*");

        var arm = new byte[64];
        arm[0] = 0x7f; arm[1] = (byte)'E'; arm[2] = (byte)'L'; arm[3] = (byte)'F'; arm[4] = 2; arm[5] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(arm.AsSpan(0x12), 183);
        ElfVersionNeeds.Machine(arm, "libY.so").Should().Be(183);
        ElfVersionNeeds.MachineName(183).Should().Contain("Arm64");

        var truncated = () => ElfVersionNeeds.Read(arm, "libY.so");
        truncated.Should().Throw<InvalidDataException>().WithMessage("libY.so: section header table*truncated or corrupt*");
    }

    [Fact]
    public void The_budget_is_read_from_the_environment()
    {
        Course.ParseBudget(null).Should().Be(Budget.Full);
        Course.ParseBudget("smoke").Should().Be(Budget.Smoke);
        Course.ParseBudget(" FULL ").Should().Be(Budget.Full);
        var bad = () => Course.ParseBudget("huge");
        bad.Should().Throw<ArgumentException>().WithMessage("*'huge'*smoke*full*");
    }

    [Fact]
    public async Task Two_processes_starting_at_once_both_load_torch()
    {
        // Each child gets an empty cache folder of its own... and a shared one: both must load.
        var cache = Repo.TempDir("cache");
        var env = new Dictionary<string, string> { ["SSL_COURSE_CACHE"] = cache };
        var dir = Repo.TempDir("twice");
        Engine.TestNotebooks.Write(dir, "t.ipynb",
            $"#r \"{Path.Combine(Repo.Root, "lib", "SslCourse", "bin", "TorchSharp.dll")}\"\n#r \"{Path.Combine(Repo.Root, "lib", "SslCourse", "bin", "SslCourse.dll")}\"\nSslCourse.Course.Init();\nConsole.WriteLine(TorchSharp.torch.ones(3).sum().item<float>());");
        var runs = Enumerable.Range(0, 2)
            .Select(i => Task.Run(() => CliProcess.Run(dir, TimeSpan.FromMinutes(3), env, "run", "t.ipynb", "--out", $"out{i}")))
            .ToArray();
        foreach (var r in await Task.WhenAll(runs)) r.ExitCode.Should().Be(0, r.All);
        Directory.GetFiles(cache, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty("no temporary file is left behind");
    }

    [Fact]
    public void A_replaced_cached_library_of_the_same_length_is_rewritten_never_reused()
    {
        var cache = Repo.TempDir("native-cache");
        var before = Environment.GetEnvironmentVariable("SSL_COURSE_CACHE");
        Environment.SetEnvironmentVariable("SSL_COURSE_CACHE", cache);
        try
        {
            var report = TorchLoader.PrepareCache();
            var files = Directory.GetFiles(cache, "libLibTorchSharp.so", SearchOption.AllDirectories);
            if (report == "no patch needed")
            {
                files.Should().BeEmpty("nothing is cached where no patch is needed, so there is nothing to replace");
                return;
            }
            var file = files.Should().ContainSingle().Which;
            var good = System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file));
            File.WriteAllBytes(file, new byte[new FileInfo(file).Length]); // same length, other content
            TorchLoader.PrepareCache();
            System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)).Should().Equal(good, "the SHA-256 check rewrote the replaced copy");
        }
        finally
        {
            Environment.SetEnvironmentVariable("SSL_COURSE_CACHE", before);
        }
    }
}
