using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SslCourse.Notebooks;

/// <summary>A read-only path the worker needs: <paramref name="Host"/> appears at <paramref name="Inside"/> (a path
/// under <see cref="GradeSandbox.CourseRoot"/> or an absolute path); <paramref name="EnvironmentVariable"/>, when
/// given, is set to the path the worker sees.</summary>
public sealed record SandboxMount(string Host, string Inside, string? EnvironmentVariable = null);

/// <summary>
/// What one graded submission sees, laid out like the course repository: <c>notebooks/</c> with the assembled
/// notebook, the folders its relative <c>#r</c> directives point to (e.g. <c>lib/SslCourse/bin</c>), <c>data/</c>,
/// the worker's own program in <c>app/</c>, and a private <c>tmp</c>.
/// <list type="bullet">
/// <item>Isolated (the default, <see cref="Bubblewrap"/>): every path is a read-only bind mount of the original at
/// <see cref="CourseRoot"/>; the host folder <see cref="Root"/> holds only the assembled notebook.</item>
/// <item>Not isolated (<c>--no-sandbox</c>): the layout is built in <see cref="Root"/> with hard links (symbolic
/// links across file systems), so deleting files deletes only links; writing into them reaches the originals.</item>
/// </list>
/// </summary>
public sealed partial class GradeSandbox : IDisposable
{
    /// <summary>Where the course layout appears inside the bubblewrap sandbox.</summary>
    public const string CourseRoot = "/course";

    [GeneratedRegex(@"^\s*#r\s+""(?<path>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex Reference();

    /// <summary>The host folder of this sandbox (removed on dispose).</summary>
    public string Root { get; }
    /// <summary>True when the worker runs in bubblewrap (paths below are then inside the sandbox).</summary>
    public bool Isolated { get; }
    /// <summary>The assembled notebook's path as the worker sees it.</summary>
    public string NotebookPath { get; }
    /// <summary>The assembled notebook's file on the host.</summary>
    public string HostNotebook { get; }
    /// <summary>The worker program folder as the worker sees it (null when none was given).</summary>
    public string? AppDir { get; }
    /// <summary>The temp folder as the worker sees it.</summary>
    public string TempDir { get; }
    /// <summary>Read-only paths of the layout (isolated mode), inside paths absolute.</summary>
    public IReadOnlyList<SandboxMount> Mounts => _mounts;
    /// <summary>What could not be found (for the report).</summary>
    public List<string> Warnings { get; } = [];

    readonly List<SandboxMount> _mounts = [];

    /// <summary>Lays out the sandbox for <paramref name="notebook"/>, resolving relative references against
    /// <paramref name="searchDirs"/> (the source's folder first, then the submission's).</summary>
    public GradeSandbox(NotebookDocument notebook, IReadOnlyList<string> searchDirs, string? appDir, bool isolated, IReadOnlyList<SandboxMount>? extra = null)
    {
        Isolated = isolated;
        var stem = Path.GetFileNameWithoutExtension(notebook.Path);
        Root = Path.Combine(Path.GetTempPath(), "ssl-course-grade", $"{(stem.Length > 24 ? stem[..24] : stem)}-{Guid.NewGuid():N}");
        var inside = isolated ? CourseRoot : Root;
        var hostNbDir = Path.Combine(Root, "notebooks");
        Directory.CreateDirectory(hostNbDir);
        if (appDir != null) Add(appDir, "app");
        var done = new HashSet<string>();
        foreach (var cell in notebook.Cells.Where(c => c.IsCode))
        {
            foreach (Match m in Reference().Matches(cell.Source))
            {
                var rel = m.Groups["path"].Value;
                if (rel.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(rel)) continue;
                var relDir = Path.GetDirectoryName(rel) ?? "";
                // Where the folder lands relative to the course root (the notebook lives in notebooks/).
                var relToRoot = Path.GetRelativePath("/r", Path.GetFullPath(Path.Combine("/r/notebooks", relDir)));
                if (relToRoot.StartsWith("..", StringComparison.Ordinal) || relToRoot == "." || relToRoot == "notebooks" || !done.Add(relToRoot)) continue;
                var from = searchDirs.Select(d => Path.GetFullPath(Path.Combine(d, relDir))).FirstOrDefault(d => File.Exists(Path.Combine(d, Path.GetFileName(rel))));
                if (from == null) { Warnings.Add($"#r \"{rel}\": not found next to {string.Join(" or ", searchDirs)}"); continue; }
                Add(from, relToRoot);
            }
        }
        var data = searchDirs.Select(FindData).FirstOrDefault(d => d != null);
        if (data != null) Add(data, "data");
        foreach (var m in extra ?? []) _mounts.Add(m);

        HostNotebook = Path.Combine(hostNbDir, Path.GetFileName(notebook.Path));
        notebook.Save(HostNotebook);
        NotebookPath = Path.Combine(inside, "notebooks", Path.GetFileName(notebook.Path));
        AppDir = appDir == null ? null : Path.Combine(inside, "app");
        TempDir = isolated ? "/tmp" : Path.Combine(Root, "tmp");
        if (!isolated) Directory.CreateDirectory(TempDir);

        void Add(string host, string relative)
        {
            if (isolated) _mounts.Add(new SandboxMount(host, Path.Combine(CourseRoot, relative)));
            else Snapshot(host, Path.Combine(Root, relative));
        }
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
    /// link is not possible); used without a sandbox only.</summary>
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

    /// <summary>Removes the host folder (best effort).</summary>
    public void Dispose()
    {
        try { if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
