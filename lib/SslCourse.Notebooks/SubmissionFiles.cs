using System.Runtime.InteropServices;

namespace SslCourse.Notebooks;

/// <summary>One submission file: its path, the student it belongs to and the label its reports are written under.</summary>
public sealed record SubmissionFile(string Path, string Student, string Label);

/// <summary>
/// Finds the submissions in a folder and refuses what a grader must not follow: symbolic links (a link to the
/// instructor's notebook would be graded as the student's) and special files (FIFOs, devices, sockets), at the top
/// level and one folder down, whatever their names.
/// </summary>
public static class SubmissionFiles
{
    /// <summary>Submissions in <paramref name="folder"/>: <c>*.ipynb</c> at the top (student = file name) and one
    /// folder down (student = folder name). <paramref name="refused"/> gets one message per link or special file.</summary>
    public static List<SubmissionFile> Find(string folder, List<string> refused)
    {
        var list = new List<SubmissionFile>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            if (Problem(entry) is { } why) { refused.Add(why); continue; }
            if (Directory.Exists(entry))
            {
                foreach (var f in Directory.EnumerateFileSystemEntries(entry).Order(StringComparer.Ordinal))
                {
                    if (Problem(f) is { } inner) { refused.Add(inner); continue; }
                    if (File.Exists(f) && f.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                        list.Add(new SubmissionFile(f, System.IO.Path.GetFileName(entry), $"{System.IO.Path.GetFileName(entry)}__{System.IO.Path.GetFileNameWithoutExtension(f)}"));
                }
            }
            else if (entry.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                list.Add(new SubmissionFile(entry, System.IO.Path.GetFileNameWithoutExtension(entry), System.IO.Path.GetFileNameWithoutExtension(entry)));
        }
        return list;
    }

    /// <summary>Why <paramref name="path"/> is refused (a symbolic link or a special file), or null for a regular
    /// file or folder.</summary>
    public static string? Problem(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target) return $"{path}: is a symbolic link (to {target}); submissions must be regular files, not links.";
        var kind = Kind(path);
        return kind is null or "file" or "folder" ? null : $"{path}: is a {kind}; submissions must be regular files.";
    }

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
    static extern int LStat(string path, byte[] buffer);

    /// <summary>file, folder, link, fifo, socket, character device or block device (from lstat); null when it cannot tell.</summary>
    static string? Kind(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        int offset = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 24, Architecture.Arm64 => 16, _ => -1 };
        if (offset < 0) return null;
        var buffer = new byte[256];
        try { if (LStat(path, buffer) != 0) return null; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
        return (BitConverter.ToUInt32(buffer, offset) & 0xF000) switch
        {
            0x8000 => "file",
            0x4000 => "folder",
            0xA000 => "link",
            0x1000 => "FIFO (named pipe)",
            0xC000 => "socket",
            0x2000 => "character device",
            0x6000 => "block device",
            _ => "special file",
        };
    }

    /// <summary>Pairs of submissions of one student for one notebook, named both: "a and b are both …".</summary>
    public static List<string> Duplicates(IEnumerable<(SubmissionFile File, string Notebook)> matched) =>
        matched.GroupBy(m => (m.File.Student, m.Notebook))
            .Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(" and ", g.Select(m => m.File.Path))}: {g.Count()} submissions of student '{g.Key.Student}' for notebook {g.Key.Notebook}; keep exactly one (none of them was graded).")
            .ToList();
}
