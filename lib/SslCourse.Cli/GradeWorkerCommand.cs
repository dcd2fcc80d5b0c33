using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course grade-worker</c> (internal): the child process of <c>grade</c> that runs one assembled
/// notebook in the sandbox and reports on the channel, including each check part's evidence; see <see cref="GradeWorker"/>.</summary>
public static class GradeWorkerCommand
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv, ["cell-timeout", "timeout", "result-type"], []);
        if (args.Positional.Count != 1) throw new UsageException("grade-worker is run by `ssl-course grade`: expected one notebook.");
        var settings = new WorkerSettings(
            TimeSpan.FromSeconds(args.Seconds("cell-timeout", 120)),
            TimeSpan.FromSeconds(args.Seconds("timeout", 600)),
            args.Get("result-type") ?? throw new UsageException("--result-type is required."),
            emit => SslCourse.Exercises.CheckEvidence.Sink = e => emit(e));
        await GradeWorker.RunAsync(args.Positional[0], settings);
        Console.Error.Flush();
        // A cell abandoned after its time limit may still run on a thread: end the process now.
        Environment.Exit(0);
        return 0;
    }
}
