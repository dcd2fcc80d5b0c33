namespace SslCourse.Notebooks;

/// <summary>Reads the solutions of a graded notebook without running them (the course's Roslyn analysis, given to the
/// grader by the CLI): the code cells in order, the folder <c>#r</c> paths are relative to, and each exercise's cell
/// index (into the code cells), id and check-cell source; returns a failure message per exercise whose solution may
/// not be graded (it uses its reference or the deny-list).</summary>
public delegate IReadOnlyDictionary<string, string> SolutionCheck(IReadOnlyList<string> codeCells, string directory,
    IReadOnlyList<(int Cell, string Exercise, string CheckSource)> exercises);

/// <summary>Applies a <see cref="SolutionCheck"/> to an assembled notebook.</summary>
public static class SolutionVerdicts
{
    /// <summary>Exercise id → message (without the <c>✗ id:</c> prefix) for the solutions the check rejects; empty
    /// when there is no check. An analysis that itself fails is reported in <paramref name="notes"/> and rejects
    /// nothing (the checks still run).</summary>
    public static IReadOnlyDictionary<string, string> Of(AssembledNotebook assembled, SolutionCheck? check, string directory, ICollection<string> notes)
    {
        if (check == null) return new Dictionary<string, string>();
        var code = assembled.Notebook.Cells.Where(c => c.IsCode).ToList();
        var exercises = assembled.Exercises
            .Where(e => !assembled.Missing.Contains(e.Id) && e.CheckCell != null)
            .Select(e => (code.IndexOf(e.Cell), e.Id, e.CheckCell!.Source)).ToList();
        try
        {
            return check(code.Select(c => c.Source).ToList(), directory, exercises);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            notes.Add($"the solutions could not be analysed before running ({e.GetType().Name}: {e.Message}); the checks in the notebook still analysed them.");
            return new Dictionary<string, string>();
        }
    }
}
