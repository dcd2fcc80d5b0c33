using System.Text;
using System.Text.RegularExpressions;

namespace SslCourse.Notebooks.ClassGrading;

/// <summary>
/// The last guard before results leave the grading machine (an Actions artifact, a log): searches files for the
/// text of any solution in the instructor's source notebooks, whitespace-insensitively, like the student-repository
/// release does. Solutions shorter than <see cref="StudentRepository.MinScannedLength"/> characters are skipped, as
/// there: a one-liner such as <c>return x * 2;</c> proves nothing.
/// </summary>
public static class SolutionLeaks
{
    /// <summary>The collapsed solution texts of <paramref name="sources"/> long enough to search for, with their exercise.</summary>
    public static IReadOnlyList<(string Notebook, string Exercise, string Text)> Solutions(IEnumerable<NotebookDocument> sources) =>
        sources.SelectMany(doc => ExerciseFormat.Exercises(doc).SelectMany(e =>
                (ExerciseFormat.Solutions(e.Cell.Source) ?? []).Select(s => (Notebook: Path.GetFileName(doc.Path), Exercise: e.Id, Text: Collapse(s)))))
            .Where(s => s.Text.Length >= StudentRepository.MinScannedLength).ToList();

    /// <summary>Searches every file below <paramref name="folder"/>; throws naming the first file and exercise found.</summary>
    /// <returns>How many files were searched.</returns>
    /// <exception cref="NotebookFormatException">A file holds a solution's text.</exception>
    public static int Check(string folder, IReadOnlyList<(string Notebook, string Exercise, string Text)> solutions)
    {
        int n = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            n++;
            var text = Collapse(Encoding.UTF8.GetString(File.ReadAllBytes(file)));
            foreach (var (nb, ex, needle) in solutions)
                if (text.Contains(needle, StringComparison.Ordinal))
                    throw new NotebookFormatException($"{file}: holds the solution of exercise '{ex}' of {nb}; these results must not be published.");
        }
        return n;
    }

    static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();
}
