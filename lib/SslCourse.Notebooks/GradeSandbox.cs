using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SslCourse.Notebooks;

/// <summary>
/// A fresh folder per graded submission, laid out like the course repository: <c>notebooks/</c> with the assembled
/// notebook, the folders its relative <c>#r</c> directives point to (e.g. <c>lib/SslCourse/bin</c>), <c>data/</c>,
/// the worker's own program in <c>app/</c>, and <c>tmp/</c>. Files are hard links (symbolic links across file
/// systems), so a submission that deletes files deletes only its own links, never the originals.
/// </summary>
public sealed partial class GradeSandbox : IDisposable
{
    [GeneratedRegex(@"^\s*#r\s+""(?<path>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex Reference();

    /// <summary>The sandbox root.</summary>
    public string Root { get; }
    /// <summary>The assembled notebook's path inside the sandbox.</summary>
    public string NotebookPath { get; }
    /// <summary>The worker program folder inside the sandbox (null when none was given).</summary>
    public string? AppDir { get; }
    /// <summary>The temp folder for the worker.</summary>
    public string TempDir { get; }
    /// <summary>What could not be found (for the report).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Creates the sandbox for <paramref name="notebook"/>, resolving relative references against
    /// <paramref name="searchDirs"/> (the source's folder first, then the submission's).</summary>
    public GradeSandbox(NotebookDocument notebook, IReadOnlyList<string> searchDirs, string? appDir)
    {
        var stem = Path.GetFileNameWithoutExtension(notebook.Path);
        Root = Path.Combine(Path.GetTempPath(), "ssl-course-grade", $"{(stem.Length > 24 ? stem[..24] : stem)}-{Guid.NewGuid():N}");
        var nbDir = Path.Combine(Root, "notebooks");
        Directory.CreateDirectory(nbDir);
        TempDir = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(TempDir);
        if (appDir != null)
        {
            AppDir = Path.Combine(Root, "app");
            Snapshot(appDir, AppDir);
        }
        var done = new HashSet<string>();
        foreach (var cell in notebook.Cells.Where(c => c.IsCode))
        {
            foreach (Match m in Reference().Matches(cell.Source))
            {
                var rel = m.Groups["path"].Value;
                if (rel.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(rel)) continue;
                var relDir = Path.GetDirectoryName(rel) ?? "";
                var target = Path.GetFullPath(Path.Combine(nbDir, relDir));
                if (!target.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !done.Add(target)) continue;
                var from = searchDirs.Select(d => Path.GetFullPath(Path.Combine(d, relDir))).FirstOrDefault(d => File.Exists(Path.Combine(d, Path.GetFileName(rel))));
                if (from == null) { Warnings.Add($"#r \"{rel}\": not found next to {string.Join(" or ", searchDirs)}"); continue; }
                Snapshot(from, target);
            }
        }
        var data = searchDirs.Select(FindData).FirstOrDefault(d => d != null);
        if (data != null) Snapshot(data, Path.Combine(Root, "data"));
        NotebookPath = Path.Combine(nbDir, Path.GetFileName(notebook.Path));
        notebook.Save(NotebookPath);
    }

    static string? FindData(string start)
    {
        for (var dir = Path.GetFullPath(start); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "data", "PROVENANCE.md"))) return Path.Combine(dir, "data");
        return null;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link(string oldPath, string newPath);

    /// <summary>Mirrors <paramref name="from"/> into <paramref name="to"/> with hard links (symbolic links where a hard
    /// link is not possible).</summary>
    public static void Snapshot(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            var real = new FileInfo(file).ResolveLinkTarget(true)?.FullName ?? file;
            bool linked = false;
            if (!OperatingSystem.IsWindows())
            {
                try { linked = Link(real, target) == 0; } catch (DllNotFoundException) { } catch (EntryPointNotFoundException) { }
            }
            if (!linked) File.CreateSymbolicLink(target, real);
        }
    }

    /// <summary>Removes the sandbox (best effort).</summary>
    public void Dispose()
    {
        try { if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
