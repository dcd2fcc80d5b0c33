using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace SslCourse.Tests.DevEnv;

/// <summary>The devcontainer files: strict JSON, the keys the guides document, and settings that match the build.</summary>
public class DevContainerTests
{
    static JsonElement Load(string relative)
    {
        var path = Path.Combine(Repo.Root, relative);
        File.Exists(path).Should().BeTrue($"{relative} should exist");
        using var doc = JsonDocument.Parse(File.ReadAllText(path)); // strict JSON: no comments, no trailing commas
        return doc.RootElement.Clone();
    }

    static void CommonKeys(JsonElement c)
    {
        c.GetProperty("image").GetString().Should().StartWith("mcr.microsoft.com/devcontainers/dotnet:").And.Contain("10.0");
        c.GetProperty("postCreateCommand").GetString().Should().Be("bash scripts/post-create.sh");
        var extensions = c.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        extensions.Should().Contain(["ms-dotnettools.csharp", "ms-toolsai.jupyter", "ms-dotnettools.dotnet-interactive-vscode"]);
        c.GetProperty("remoteEnv").GetProperty("PATH").GetString().Should().EndWith("/.dotnet/tools", "the notebook tools are global dotnet tools");
    }

    [Fact]
    public void The_cpu_container_is_the_default_with_4_cores_and_8_GB()
    {
        var c = Load(".devcontainer/devcontainer.json");
        CommonKeys(c);
        var host = c.GetProperty("hostRequirements");
        host.GetProperty("cpus").GetInt32().Should().Be(4);
        host.GetProperty("memory").GetString().Should().Be("8gb");
        c.GetProperty("containerEnv").GetProperty("SSL_COURSE_BACKEND").GetString().Should().Be("cpu");
    }

    [Fact]
    public void The_gpu_container_selects_the_cuda_backend_and_the_full_budget()
    {
        var c = Load(".devcontainer/gpu/devcontainer.json");
        CommonKeys(c);
        c.GetProperty("hostRequirements").GetProperty("gpu").GetBoolean().Should().BeTrue();
        c.GetProperty("runArgs").EnumerateArray().Select(a => a.GetString()).Should().ContainInOrder("--gpus", "all");
        var env = c.GetProperty("containerEnv");
        env.GetProperty("SSL_COURSE_BUDGET").GetString().Should().Be("full");
        var backend = env.GetProperty("SSL_COURSE_BACKEND").GetString();
        backend.Should().Be("cuda");
        // the one backend setting of the build: the environment variable feeds the MSBuild property, and the library
        // project has a package group for that value
        File.ReadAllText(Path.Combine(Repo.Root, "Directory.Build.props")).Should().Contain("$(SSL_COURSE_BACKEND)");
        File.ReadAllText(Path.Combine(Repo.Root, "lib/SslCourse/SslCourse.csproj")).Should().Contain($"'$(SslCourseBackend)' == '{backend}'");
    }

    [Theory]
    [InlineData(".devcontainer/devcontainer.json")]
    [InlineData(".devcontainer/gpu/devcontainer.json")]
    public void The_devcontainers_let_bubblewrap_make_the_graders_sandbox(string file)
    {
        var c = Load(file);
        c.GetProperty("securityOpt").EnumerateArray().Select(a => a.GetString()).Should().Contain(["seccomp=unconfined", "apparmor=unconfined"],
            "Docker's default profiles forbid the user namespaces bubblewrap needs (docs/grading.md, Requirements)");
        File.ReadAllText(Path.Combine(Repo.Root, "scripts", "post-create.sh")).Should().Contain("install-test-tools.sh bwrap");
    }

    [Fact]
    public void The_scripts_are_bash_that_parses()
    {
        foreach (var script in new[] { "scripts/post-create.sh", "scripts/self-check.sh", "scripts/check-clients.sh" })
        {
            var path = Path.Combine(Repo.Root, script);
            File.ReadLines(path).First().Should().Be("#!/usr/bin/env bash", script);
            var r = Shell.Run(Repo.Root, TimeSpan.FromSeconds(30), null, "bash", "-n", path);
            r.ExitCode.Should().Be(0, $"{script}: {r.All}");
        }
    }
}
