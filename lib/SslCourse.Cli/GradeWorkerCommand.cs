using System.CommandLine;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course grade-worker</c> (internal): the child process of <c>grade</c> that runs one assembled
/// notebook in the sandbox and reports on the channel, including each check part's evidence; see <see cref="GradeWorker"/>.</summary>
public static class GradeWorkerCommand
{
    public static Command Create()
    {
        var notebook = Options.Paths("notebook", "The assembled notebook to run.");
        var cellTimeout = Options.Seconds("cell-timeout", "Time limit of one cell in seconds [default: 120].");
        var timeout = Options.Seconds("timeout", "Time limit of the notebook in seconds [default: 600].");
        var resultType = Options.Text("result-type", "Full name of the check result type.", "TYPE");
        var command = Options.Verb("grade-worker", "Internal: the child process of grade that runs one assembled notebook.", async parse =>
        {
            var paths = parse.GetValue(notebook) ?? [];
            if (paths.Length != 1) throw new UsageException("grade-worker is run by `ssl-course grade`: expected one notebook.");
            var settings = new WorkerSettings(
                TimeSpan.FromSeconds(parse.GetValue(cellTimeout) ?? 120),
                TimeSpan.FromSeconds(parse.GetValue(timeout) ?? 600),
                parse.GetValue(resultType) ?? throw new UsageException("--result-type is required."),
                emit => SslCourse.Exercises.CheckEvidence.Sink = e => emit(e));
            await GradeWorker.RunAsync(paths[0], settings);
            Console.Error.Flush();
            // A cell abandoned after its time limit may still run on a thread: end the process now.
            Environment.Exit(0);
            return 0;
        }, notebook, cellTimeout, timeout, resultType);
        command.Hidden = true;
        return command;
    }
}
