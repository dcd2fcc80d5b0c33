using System.Text.RegularExpressions;

namespace SslCourse.Notebooks;

/// <summary>
/// Turns a notebook's kernel directives into file-based app directives:
/// <c>#r "nuget: Name, Version"</c> becomes <c>#:package Name@Version</c>; <c>#r "path/bin/Name.dll"</c> becomes
/// <c>#:project</c> of the project that builds it (found next to its output folder), and a DLL that merely sits in
/// such a project's output folder (a dependency) is covered by that project; <c>#i "nuget: source"</c> adds a restore
/// source. A file-based app cannot reference a bare DLL, so a DLL with no project is an <see cref="ExportException"/>.
/// </summary>
sealed partial class ExportDirectives(string notebookDir, string appDir)
{
    readonly List<string> _projects = [];
    readonly List<string> _projectDirs = [];
    readonly List<string> _packages = [];
    readonly List<string> _sources = [];
    readonly List<(int Cell, string Dll)> _pendingDlls = [];

    /// <summary>Notes for the generated file's header (what was dropped and why).</summary>
    public List<string> Notes { get; } = [];

    [GeneratedRegex(@"^\s*#r\s+""nuget:\s*([^,""]+?)\s*(?:,\s*([^""]+?))?\s*""\s*$")]
    private static partial Regex NugetReference();

    [GeneratedRegex(@"^\s*#r\s+""([^""]+)""\s*$")]
    private static partial Regex PathReference();

    [GeneratedRegex(@"^\s*#i\s+""(?:nuget:\s*)?([^""]+)""\s*$")]
    private static partial Regex SourceDirective();

    /// <summary>True for a line the kernel treats as a directive (<c>#r</c>, <c>#i</c>, <c>#!</c> magic commands).</summary>
    public static bool IsKernelDirective(string line)
    {
        var t = line.TrimStart();
        return t.StartsWith("#r ", StringComparison.Ordinal) || t.StartsWith("#i ", StringComparison.Ordinal) || t.StartsWith("#!", StringComparison.Ordinal);
    }

    /// <summary>Records one directive line of cell <paramref name="cell"/>.</summary>
    public void Add(string line, int cell)
    {
        Match m;
        if ((m = NugetReference().Match(line)).Success)
        {
            var version = m.Groups[2].Success ? m.Groups[2].Value.Trim() : "*";
            AddOnce(_packages, $"{m.Groups[1].Value.Trim()}@{version}");
        }
        else if ((m = PathReference().Match(line)).Success)
            _pendingDlls.Add((cell, m.Groups[1].Value));
        else if ((m = SourceDirective().Match(line)).Success)
            AddOnce(_sources, m.Groups[1].Value.Trim());
        else
            Notes.Add($"cell {cell}: kernel command `{line.Trim()}` has no equivalent in a program and was left out.");
    }

    /// <summary>The <c>#:</c> lines, after every cell was read (DLLs are matched to projects here).</summary>
    public IEnumerable<string> Lines()
    {
        ResolveDlls();
        foreach (var p in _projects) yield return $"#:project {p}";
        foreach (var p in _packages) yield return $"#:package {p}";
        if (_sources.Count > 0) yield return $"#:property RestoreAdditionalProjectSources={string.Join(';', _sources)}";
    }

    void ResolveDlls()
    {
        var unresolved = new List<(int Cell, string Dll, string Full)>();
        // Projects first: a dependency DLL may be listed before the library that brings it (TorchSharp before the course library).
        foreach (var (cell, dll) in _pendingDlls)
        {
            var full = Path.GetFullPath(Path.Combine(notebookDir, dll));
            var project = ProjectBuilding(full);
            if (project == null) { unresolved.Add((cell, dll, full)); continue; }
            var relative = Path.GetRelativePath(appDir, project).Replace('\\', '/');
            if (AddOnce(_projects, relative)) _projectDirs.Add(Path.GetDirectoryName(full)!);
        }
        foreach (var (cell, dll, full) in unresolved)
        {
            var dir = Path.GetDirectoryName(full)!;
            if (_projectDirs.Any(d => string.Equals(d, dir, StringComparison.Ordinal)))
            {
                Notes.Add($"cell {cell}: `#r \"{dll}\"` comes with the project built into the same folder.");
                continue;
            }
            throw new ExportException($"cell {cell}: `#r \"{dll}\"`: a file-based app cannot reference a DLL by path, and no project that builds " +
                                      $"{Path.GetFileName(full)} was found above {dir}; reference its project or its NuGet package instead.");
        }
        _pendingDlls.Clear();
    }

    /// <summary>The .csproj that builds <paramref name="dll"/>: in the nearest folder above the DLL holding a project,
    /// a project named like the DLL (or whose AssemblyName is the DLL's name).</summary>
    static string? ProjectBuilding(string dll)
    {
        var name = Path.GetFileNameWithoutExtension(dll);
        for (var dir = Path.GetDirectoryName(dll); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (!Directory.Exists(dir)) continue;
            var projects = Directory.GetFiles(dir, "*.csproj");
            if (projects.Length == 0) continue;
            return projects.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == name)
                   ?? projects.FirstOrDefault(p => File.ReadAllText(p).Contains($"<AssemblyName>{name}</AssemblyName>", StringComparison.Ordinal));
        }
        return null;
    }

    static bool AddOnce(List<string> list, string item)
    {
        if (list.Contains(item)) return false;
        list.Add(item);
        return true;
    }
}

/// <summary>A notebook that cannot be exported as it is; the message names the cell and the construct.</summary>
public sealed class ExportException(string message) : Exception(message);
