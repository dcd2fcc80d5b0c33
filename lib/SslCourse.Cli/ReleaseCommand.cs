using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course release</c>: writes the student copies of source notebooks (solutions become stubs).</summary>
public static class ReleaseCommand
{
    public const string Usage = "release <notebook|folder>... --out DIR";

    public static Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv, ["out"], []);
        if (args.Positional.Count == 0) throw new UsageException("no notebook given; expected source .ipynb files or folders, then --out DIR.");
        var outDir = args.Get("out") ?? throw new UsageException("--out DIR is required: the folder the student copies are written to.");
        outDir = Path.GetFullPath(outDir);
        var files = NotebookFiles.Expand(args.Positional);
        var released = new List<(string Target, NotebookDocument Doc, int Exercises)>();
        foreach (var file in files)
        {
            var target = Path.Combine(outDir, Path.GetFileName(file));
            if (string.Equals(Path.GetFullPath(file), target, StringComparison.Ordinal))
                throw new UsageException($"{file}: --out would overwrite the source notebook; choose another folder.");
            var source = NotebookDocument.Load(file);
            released.Add((target, Release.Apply(source), ExerciseFormat.Exercises(source).Count));
        }
        foreach (var (target, doc, exercises) in released)
        {
            doc.Save(target);
            Console.WriteLine($"released {Path.GetFileName(target)}: {exercises} exercise(s) -> {target}");
        }
        return Task.FromResult(Cli.Ok);
    }
}
