using System.Text.RegularExpressions;

namespace SslCourse.Notebooks.ClassGrading;

/// <summary>One student of a roster: an identifier (used as a folder and file name) and the repository to grade.</summary>
/// <param name="Student">Letters, digits, '.', '_' and '-', starting with a letter or digit (a GitHub user name fits).</param>
/// <param name="Repository">A GitHub repository <c>owner/name</c>, a git URL (https, ssh, file) or a local path.</param>
public sealed record RosterEntry(string Student, string Repository)
{
    /// <summary>The URL to clone: <c>https://github.com/owner/name.git</c> for <c>owner/name</c>, else the repository as given.</summary>
    public string CloneUrl => Roster.IsGitHubName(Repository) ? $"https://github.com/{Repository}.git" : Repository;
}

/// <summary>
/// A class roster: a CSV file with a header line naming at least the columns <c>student</c> and <c>repository</c>
/// (any order, other columns ignored; blank lines and lines starting with <c>#</c> skipped). Students are kept in
/// ordinal order of their identifiers, so everything derived from a roster is independent of its line order.
/// </summary>
public sealed class Roster
{
    static readonly Regex StudentId = new(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant);
    static readonly Regex GitHubName = new(@"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant);

    /// <summary>The students, in ordinal order of <see cref="RosterEntry.Student"/>.</summary>
    public IReadOnlyList<RosterEntry> Students { get; }

    /// <summary>A roster of <paramref name="students"/> (identifiers checked, duplicates refused).</summary>
    public Roster(IEnumerable<RosterEntry> students)
    {
        var list = students.ToList();
        foreach (var s in list)
        {
            if (!StudentId.IsMatch(s.Student)) throw new ArgumentException($"student '{s.Student}': expected letters, digits, '.', '_' or '-', starting with a letter or digit (at most 100).");
            if (s.Repository.Length == 0) throw new ArgumentException($"student '{s.Student}': no repository.");
        }
        var dupes = list.GroupBy(s => s.Student, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0) throw new ArgumentException($"student(s) listed twice (ignoring case): {string.Join(", ", dupes)}.");
        Students = list.OrderBy(s => s.Student, StringComparer.Ordinal).ToList();
    }

    /// <summary>True for a GitHub <c>owner/name</c>.</summary>
    public static bool IsGitHubName(string repository) => GitHubName.IsMatch(repository);

    /// <summary>Reads a roster file.</summary>
    /// <exception cref="NotebookFormatException">The file is unusable; the message names the file, the line and what was expected.</exception>
    public static Roster Load(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException($"{path}: roster not found; expected a CSV file with the columns student,repository.");
        var (header, rows) = CsvCells.Read(path);
        int si = IndexOf(header, "student"), ri = IndexOf(header, "repository");
        if (si < 0 || ri < 0)
            throw new NotebookFormatException($"{path}: line 1: the header '{string.Join(",", header)}' lacks {(si < 0 ? "'student'" : "'repository'")}; expected at least the columns student,repository.");
        var entries = new List<RosterEntry>();
        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, cells) in rows)
        {
            string Cell(int i) => i < cells.Count ? cells[i].Trim() : "";
            var student = Cell(si);
            var repo = Cell(ri);
            if (!StudentId.IsMatch(student))
                throw new NotebookFormatException($"{path}: line {line}: student '{student}': expected letters, digits, '.', '_' or '-', starting with a letter or digit (at most 100).");
            if (repo.Length == 0)
                throw new NotebookFormatException($"{path}: line {line}: student '{student}' has no repository; expected owner/name or a git URL.");
            if (lines.TryGetValue(student, out var first))
                throw new NotebookFormatException($"{path}: line {line}: student '{student}' is already on line {first} (identifiers are compared ignoring case).");
            lines[student] = line;
            entries.Add(new RosterEntry(student, repo));
        }
        if (entries.Count == 0) throw new NotebookFormatException($"{path}: no students; expected one line per student after the header.");
        return new Roster(entries);
    }

    static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int i = 0; i < header.Count; i++) if (header[i] == name) return i;
        return -1;
    }
}
