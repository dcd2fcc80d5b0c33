using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course export</c>: writes a notebook as a .NET file-based app that runs without a notebook front end.</summary>
public static class ExportCommand
{
    public const string Usage = "export <notebook|folder>... [--to cs] [--out DIR]";

    public static Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv, ["to", "out"], []);
        if (args.Positional.Count == 0) throw new UsageException("no notebook given; expected one or more .ipynb files or folders.");
        var to = (args.Get("to") ?? "cs").ToLowerInvariant();
        if (to != "cs") throw new UsageException($"--to '{to}': the only export format is 'cs' (a .NET file-based app).");
        var outDir = args.Get("out");
        var root = Path.GetFullPath(outDir ?? "exported");
        var notebooks = NotebookFiles.Expand(args.Positional).Select(NotebookDocument.Load).ToList();

        if (outDir == null)
        {
            // the default folder holds generated programs and their images only: keep it out of version control
            Directory.CreateDirectory(root);
            var ignore = Path.Combine(root, ".gitignore");
            if (!File.Exists(ignore)) AtomicFile.WriteAllText(ignore, "# written by `ssl-course export`: generated programs and their images\n*\n");
        }
        int failed = 0;
        foreach (var nb in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(nb.Path);
            // one folder per notebook: the images a run saves sit beside their program
            var target = Path.Combine(root, name, name + ".cs");
            try
            {
                var result = ExportFileApp.Write(nb, target);
                Console.WriteLine($"{Path.GetFileName(nb.Path)} -> {Path.GetRelativePath(Directory.GetCurrentDirectory(), result.Path)}");
                foreach (var note in result.Notes) Console.WriteLine($"  note: {note}");
            }
            catch (ExportException e)
            {
                Console.Error.WriteLine($"ssl-course export: {nb.Path}: {e.Message}");
                failed++;
            }
        }
        if (notebooks.Count - failed > 0)
            Console.WriteLine($"run one with: dotnet run --file <program>.cs (from any folder; set SSL_COURSE_BUDGET=smoke for a quick run)");
        return Task.FromResult(failed == 0 ? Cli.Ok : Cli.Failed);
    }
}
