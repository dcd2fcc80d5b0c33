namespace SslCourse.Notebooks.ClassGrading;

/// <summary>What a checked-out repository submits.</summary>
/// <param name="Files">The notebooks to grade, in ordinal order.</param>
/// <param name="Refused">Notebooks that are not graded, each with the reason (for a rejected result).</param>
/// <param name="Problem">Why nothing at all can be graded (the folder itself is a link), or null.</param>
public sealed record Submitted(IReadOnlyList<string> Files, IReadOnlyList<(string File, string Reason)> Refused, string? Problem);

/// <summary>
/// The notebooks a checked-out student repository submits: the regular files <c>notebooks/*.ipynb</c> at the top
/// of that folder (Jupyter's <c>.ipynb_checkpoints/</c> and other subfolders are not submissions). A symbolic link
/// is never followed: it could point at the instructor's source notebook on the grading machine, which would hand the
/// solutions in as the student's code.
/// </summary>
public static class SubmittedNotebooks
{
    /// <summary>The submission of the repository checked out at <paramref name="repo"/>.</summary>
    public static Submitted Find(string repo)
    {
        var dir = Path.Combine(repo, "notebooks");
        if (new DirectoryInfo(dir) is { Exists: true, LinkTarget: not null })
            return new([], [], "notebooks/ is a symbolic link, which is not followed; nothing was graded");
        if (!Directory.Exists(dir)) return new([], [], null);
        var files = new List<string>();
        var refused = new List<(string, string)>();
        foreach (var f in Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal))
        {
            if (new FileInfo(f).LinkTarget != null) refused.Add((f, $"notebooks/{Path.GetFileName(f)} is a symbolic link, which is not followed; submit the notebook itself"));
            else files.Add(f);
        }
        return new(files, refused, null);
    }
}
