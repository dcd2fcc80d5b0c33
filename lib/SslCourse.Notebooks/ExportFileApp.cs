using System.Text;

namespace SslCourse.Notebooks;

/// <summary>The outcome of an export: where the program was written, its text, and what could not be carried over.</summary>
public sealed record ExportResult(string Path, string Code, IReadOnlyList<string> Notes);

/// <summary>
/// Exports a C# notebook as a .NET 10 file-based app (<c>dotnet run --file name.cs</c>): the code cells run in
/// order as top-level statements, text outputs are printed, images are saved beside the file, and markdown cells
/// become comments. Kernel directives become <c>#:project</c> / <c>#:package</c> directives (see
/// <see cref="ExportDirectives"/>); the differences between script cells and a program are bridged by
/// <see cref="ExportCellTranslator"/> and the <see cref="ExportShim"/> appended to the file.
/// </summary>
public static class ExportFileApp
{
    /// <summary>Properties every exported app sets: reflection-based code needs a JIT (file-based apps default to
    /// native AOT), libraries are hard-linked rather than copied into the app's output (libtorch is ~0.5 GB), and
    /// nullable warnings are off as in a notebook kernel.</summary>
    public static readonly IReadOnlyList<string> Properties =
    [
        "PublishAot=false",
        "CreateHardLinksForCopyLocalIfPossible=true",
        "Nullable=disable",
        "NoWarn=$(NoWarn);CS1998;CS8321;CS0168;CS0219",
    ];

    /// <summary>Writes the program for <paramref name="notebook"/> to <paramref name="targetPath"/> (a .cs file).</summary>
    /// <exception cref="ExportException">A cell uses something a program cannot express (the message names the cell).</exception>
    public static ExportResult Write(NotebookDocument notebook, string targetPath)
    {
        var result = Generate(notebook, targetPath);
        AtomicFile.WriteAllText(result.Path, result.Code);
        return result;
    }

    /// <summary>The program's text for <paramref name="notebook"/>, as it would be written to <paramref name="targetPath"/>
    /// (relative paths in its directives are computed from there).</summary>
    public static ExportResult Generate(NotebookDocument notebook, string targetPath)
    {
        var target = Path.GetFullPath(targetPath);
        if (!target.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            throw new ExportException($"{targetPath}: the output of an export is a C# file (expected a name ending in .cs).");
        var appDir = Path.GetDirectoryName(target)!;
        var notebookDir = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var name = Path.GetFileNameWithoutExtension(target);
        var directives = new ExportDirectives(notebookDir, appDir);
        var translator = new ExportCellTranslator();
        var usings = new List<string>();
        var types = new List<string>();
        var body = new StringBuilder();
        var notes = directives.Notes;

        foreach (var cell in notebook.Cells)
        {
            body.Append('\n');
            if (cell.Kind == "markdown")
            {
                foreach (var line in cell.Source.TrimEnd().Split('\n')) body.Append(("// " + line.TrimEnd('\r')).TrimEnd()).Append('\n');
                continue;
            }
            if (!cell.IsCode) continue;
            var language = cell.KernelName ?? notebook.DefaultKernel;
            var lines = cell.Source.Replace("\r\n", "\n").Split('\n');
            // a polyglot cell may switch language on its first line (#!fsharp, #!html, ...)
            var first = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            if (first.StartsWith("#!", StringComparison.Ordinal) && first.Length > 2 && !first.Contains(' ') && KernelLanguages.Contains(first[2..]))
                language = first[2..];
            body.Append($"// ---- cell {cell.Number} ----\n");
            if (language is not ("csharp" or "C#" or "c#"))
            {
                notes.Add($"cell {cell.Number}: a '{language}' cell cannot run in a C# program; it is kept as a comment.");
                foreach (var line in lines) body.Append(("// " + line).TrimEnd()).Append('\n');
                continue;
            }
            var code = new StringBuilder();
            foreach (var line in lines)
            {
                if (ExportDirectives.IsKernelDirective(line))
                {
                    var trimmed = line.Trim();
                    if (trimmed is not ("#!csharp" or "#!c#" or "#!C#")) directives.Add(line, cell.Number);
                    // the directive becomes a #: line at the top of the file
                }
                else code.Append(line).Append('\n');
            }
            var translated = translator.Translate(code.ToString());
            foreach (var u in translated.Usings) if (!usings.Contains(u)) usings.Add(u);
            types.AddRange(translated.Types.Select(t => $"// from cell {cell.Number}\n{t}"));
            body.Append($"{ExportShim.ClassName}.Cell({cell.Number});\n");
            var statements = translated.Statements.Trim('\n');
            if (statements.Trim().Length > 0) body.Append(statements).Append('\n');
        }

        var source = notebook.Path.Length > 0 ? Path.GetRelativePath(appDir, Path.GetFullPath(notebook.Path)).Replace('\\', '/') : "(unsaved notebook)";
        var file = new StringBuilder();
        file.Append($"// {name}.cs: the notebook {Path.GetFileName(notebook.Path)} as a .NET file-based app, written by `ssl-course export`.\n");
        file.Append($"// Run it with `dotnet run --file {name}.cs` (the first run builds it). It runs the notebook's C# cells in\n");
        file.Append("// order, prints their text output, saves images beside this file and keeps the markdown as comments.\n");
        file.Append($"// Source: {source}. Re-export rather than edit.\n");
        var directiveLines = directives.Lines().ToList(); // resolves the #r DLLs, which may add notes
        foreach (var note in notes) file.Append($"// Note: {note}\n");
        foreach (var line in directiveLines) file.Append(line).Append('\n');
        foreach (var p in Properties) file.Append($"#:property {p}\n");
        file.Append('\n');
        foreach (var u in usings) file.Append(u).Append('\n');
        file.Append($"using static {ExportShim.ClassName};\n\n");
        var notebookDirFromApp = Path.GetRelativePath(appDir, notebookDir).Replace('\\', '/');
        file.Append($"{ExportShim.ClassName}.Begin(\"{Escape(name)}\", \"{Escape(notebookDirFromApp)}\");\n");
        file.Append(body);
        file.Append('\n');
        foreach (var t in types) file.Append(t).Append("\n\n");
        file.Append(ExportShim.Source.TrimEnd()).Append('\n');
        return new ExportResult(target, file.ToString(), notes.ToList());
    }

    static readonly HashSet<string> KernelLanguages =
        ["csharp", "c#", "C#", "fsharp", "f#", "F#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "sql", "kql", "mermaid", "http", "value"];

    static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
