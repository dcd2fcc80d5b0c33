namespace SslCourse.Notebooks;

/// <summary>Reads the solutions of a graded notebook without running them (the course's Roslyn analysis, given to the
/// grader by the CLI): the code cells in order, the folder <c>#r</c> paths are relative to, and each exercise's cell
/// index (into the code cells), id and check-cell source; returns a failure message per exercise whose solution may
/// not be graded (it uses its reference or the deny-list).</summary>
public delegate IReadOnlyDictionary<string, string> SolutionCheck(IReadOnlyList<string> codeCells, string directory,
    IReadOnlyList<(int Cell, string Exercise, string CheckSource)> exercises);

/// <summary>Applies a <see cref="SolutionCheck"/> to a submission twice: to the assembled notebook the grader runs
/// (the instructor's cells with the student's solution regions), and to the submission as the student wrote and ran
/// it (their own extra cells included, e.g. a <c>using</c> alias to the reference), so that the verdict is the one the
/// check cell gave in the student's notebook. The rules always come from the instructor's check cells.</summary>
public static class SolutionVerdicts
{
    /// <summary>Exercise id → message (without the <c>✗ id:</c> prefix) for the solutions the check rejects; empty
    /// when there is no check. An analysis that itself fails is reported in <paramref name="notes"/> and rejects
    /// nothing (the checks still run, and analyse the solution themselves).</summary>
    public static IReadOnlyDictionary<string, string> Of(AssembledNotebook assembled, NotebookDocument submission, SolutionCheck? check, string directory, ICollection<string> notes)
    {
        var verdicts = new Dictionary<string, string>();
        if (check == null) return verdicts;
        var graded = assembled.Exercises.Where(e => !assembled.Missing.Contains(e.Id) && e.CheckCell != null).ToList();
        var code = assembled.Notebook.Cells.Where(c => c.IsCode).ToList();
        var own = submission.Cells.Where(c => c.IsCode).ToList();
        var runs = new[]
        {
            (Cells: code, Exercises: graded.Select(e => (code.IndexOf(e.Cell), e.Id, e.CheckCell!.Source)).ToList()),
            (Cells: own, Exercises: graded.Select(e => (own.FindIndex(c => ExerciseFormat.ExerciseId(c) == e.Id), e.Id, e.CheckCell!.Source)).Where(x => x.Item1 >= 0).ToList()),
        };
        foreach (var (cells, exercises) in runs)
        {
            try
            {
                foreach (var (id, message) in check(cells.Select(c => c.Source).ToList(), directory, exercises))
                    verdicts.TryAdd(id, message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                notes.Add($"the solutions could not be analysed before running ({e.GetType().Name}: {e.Message}); the checks in the notebook still analysed them.");
            }
        }
        return verdicts;
    }
}
