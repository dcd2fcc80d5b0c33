using System.CommandLine;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course export</c>: writes a notebook as a .NET file-based app that runs without a notebook front end.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var notebooks = Options.Paths("notebooks", "Notebooks (.ipynb) or folders of notebooks to export.");
        var to = new Option<string>("--to")
        {
            Description = "Export format: cs, a .NET file-based app (`dotnet run --file`).",
            HelpName = "cs",
            DefaultValueFactory = _ => "cs",
            CustomParser = r =>
            {
                var v = r.Tokens.Single().Value.ToLowerInvariant();
                if (v == "cs") return v;
                r.AddError($"--to '{v}': the only export format is 'cs' (a .NET file-based app).");
                return null;
            },
        };
        to.CompletionSources.Add("cs");
        var outDir = Options.Text("out", "Folder for the programs, one subfolder per notebook [default: exported, git-ignored].", "DIR");
        return Options.Verb("export", "Write notebooks as .NET file-based apps that run without a notebook front end.",
            parse => Task.FromResult(Export(parse.GetValue(notebooks) ?? [], parse.GetValue(outDir))), notebooks, to, outDir);
    }

    static int Export(string[] paths, string? outDir)
    {
        if (paths.Length == 0) throw new UsageException("no notebook given; expected one or more .ipynb files or folders.");
        var root = Path.GetFullPath(outDir ?? "exported");
        var notebooks = NotebookFiles.Expand(paths).Select(NotebookDocument.Load).ToList();

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
        return failed == 0 ? Cli.Ok : Cli.Failed;
    }
}
