using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SslCourse.Native;
using SslCourse.Training;

namespace SslCourse.Cli.Bench;

/// <summary><c>ssl-course bench-step</c> (internal): times the course's SimCLR step in a fresh process and prints one
/// JSON line, so that the bench can compare process-wide settings (the allocator) side by side.</summary>
public static class BenchStepCommand
{
    public static Command Create()
    {
        var batch = Options.PositiveInt("batch", "Images per view [default: 256].");
        var steps = Options.PositiveInt("steps", "Timed steps [default: 10].");
        var width = Options.PositiveNumber("width", "ConvNet width multiplier [default: 1].", "W");
        var command = Options.Verb("bench-step", "Internal: one SimCLR step benchmark in a fresh process (run by bench).", parse =>
        {
            var r = StepBenchmarks.SimClrStep(parse.GetValue(batch) ?? 256, parse.GetValue(steps) ?? 10, width: parse.GetValue(width) ?? 1.0);
            Console.WriteLine(JsonSerializer.Serialize(new { images_per_second = r.ImagesPerSecond, threads = r.Threads, allocator_tuned = NativeAllocator.IsTuned }));
            return Task.FromResult(Cli.Ok);
        }, batch, steps, width);
        command.Hidden = true;
        return command;
    }

    /// <summary>Runs the step in a child process with extra environment variables; returns img/s and whether the
    /// child's allocator was tuned.</summary>
    public static (double ImagesPerSecond, bool Tuned) InChild(string repoRoot, IDictionary<string, string> env, int batch, int steps, double width)
    {
        var cli = typeof(BenchStepCommand).Assembly.Location;
        var outcome = ChildProcess.Run("dotnet", [cli, "bench-step", "--batch", batch.ToString(CultureInfo.InvariantCulture),
            "--steps", steps.ToString(CultureInfo.InvariantCulture), "--width", width.ToString(CultureInfo.InvariantCulture)], repoRoot, env, TimeSpan.FromMinutes(5));
        var line = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (outcome.ExitCode != 0 || line == null)
            throw new InvalidOperationException($"ssl-course bench-step failed (exit {outcome.ExitCode}): {outcome.Output.Trim().Split('\n').LastOrDefault()}");
        using var doc = JsonDocument.Parse(line);
        return (doc.RootElement.GetProperty("images_per_second").GetDouble(), doc.RootElement.GetProperty("allocator_tuned").GetBoolean());
    }
}
