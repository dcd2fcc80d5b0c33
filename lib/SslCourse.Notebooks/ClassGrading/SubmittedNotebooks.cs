namespace SslCourse.Notebooks.ClassGrading;

/// <summary>
/// The notebooks a checked-out student repository submits: the regular files <c>notebooks/*.ipynb</c> at the top
/// of that folder (Jupyter's <c>.ipynb_checkpoints/</c> and other subfolders are not submissions). A symbolic link
/// is never followed: it could point at the instructor's source notebook on the grading machine, which would hand the
/// solutions in as the student's code. Links are reported instead.
/// </summary>
public static class SubmittedNotebooks
{
    /// <summary>The submitted notebooks of the repository at <paramref name="repo"/> (ordinal order) and one line per
    /// thing refused.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Refused) Find(string repo)
    {
        var dir = Path.Combine(repo, "notebooks");
        var refused = new List<string>();
        if (new DirectoryInfo(dir) is { Exists: true, LinkTarget: not null })
            return ([], ["notebooks/ is a symbolic link; not followed"]);
        if (!Directory.Exists(dir)) return ([], []);
        var files = new List<string>();
        foreach (var f in Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal))
        {
            if (new FileInfo(f).LinkTarget != null) refused.Add($"notebooks/{Path.GetFileName(f)} is a symbolic link; not graded");
            else files.Add(f);
        }
        return (files, refused);
    }
}
