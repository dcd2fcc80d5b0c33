namespace SslCourse.Notebooks;

/// <summary>The notebook the grader runs: the instructor's source with only the student's exercise code put in.</summary>
/// <param name="Notebook">The assembled notebook (outputs cleared).</param>
/// <param name="Exercises">The source's exercises (their cells point into <paramref name="Notebook"/>).</param>
/// <param name="Missing">Exercise ids the submission has no cell for.</param>
/// <param name="Notes">What the student should know about how the submission was read.</param>
public sealed record AssembledNotebook(NotebookDocument Notebook, IReadOnlyList<Exercise> Exercises, IReadOnlySet<string> Missing, IReadOnlyList<string> Notes);

/// <summary>
/// Builds the notebook to grade. Everything (setup, narrative code, check cells, metadata) comes from the source;
/// from the submission only the code between the solution markers of each exercise cell, matched by exercise id
/// (metadata <c>ssl_course.exercise</c>, else the <c>// EXERCISE id</c> header line). A submission's check cells,
/// extra cells and edits outside the markers are ignored.
/// </summary>
public static class GradeAssembly
{
    /// <summary>Assembles the graded notebook. <paramref name="disabled"/> exercises get the released stub (used when
    /// a previous run was stopped inside them, so the rest can still be graded).</summary>
    public static AssembledNotebook Assemble(NotebookDocument source, NotebookDocument submission, IReadOnlySet<string>? disabled = null)
    {
        var doc = source.Clone();
        doc.ClearOutputs();
        var exercises = ExerciseFormat.Exercises(doc);
        var byId = new Dictionary<string, NotebookCell>();
        foreach (var cell in submission.Cells)
            if (ExerciseFormat.ExerciseId(cell) is { } id && !byId.ContainsKey(id)) byId[id] = cell;
        var missing = new HashSet<string>();
        var notes = new List<string>();
        foreach (var e in exercises)
        {
            if (disabled?.Contains(e.Id) == true || !byId.TryGetValue(e.Id, out var studentCell))
            {
                if (disabled?.Contains(e.Id) != true)
                {
                    missing.Add(e.Id);
                    notes.Add($"exercise '{e.Id}': the submission has no exercise cell for it (deleted, or its header and metadata changed); it scores 0.");
                }
                e.Cell.Source = Release.StubOut(e.Cell.Source, e.Id, e.Title);
                continue;
            }
            var template = ExerciseFormat.Regions(e.Cell.Source)!;
            var code = ExerciseFormat.Solutions(studentCell.Source);
            if (code == null || code.Count != template.Count)
            {
                notes.Add($"exercise '{e.Id}': the lines '{ExerciseFormat.Begin}' and '{ExerciseFormat.End}' are missing or were changed; the whole cell after its header line was graded as your code.");
                var body = ExerciseFormat.BodyAfterHeader(studentCell.Source);
                var header = e.Cell.Source.Split('\n')[0];
                e.Cell.Source = header + "\n" + body;
            }
            else
            {
                e.Cell.Source = ExerciseFormat.ReplaceSolutions(e.Cell.Source, (k, _) => code[k]);
            }
        }
        return new AssembledNotebook(doc, exercises, missing, notes);
    }

    /// <summary>The source notebook a submission belongs to: the one with the same file name, else the one sharing
    /// the most exercise ids with it; null when none shares any.</summary>
    public static NotebookDocument? MatchSource(NotebookDocument submission, IReadOnlyList<NotebookDocument> sources)
    {
        var name = Path.GetFileName(submission.Path);
        var same = sources.FirstOrDefault(s => string.Equals(Path.GetFileName(s.Path), name, StringComparison.OrdinalIgnoreCase));
        if (same != null) return same;
        var ids = submission.Cells.Select(ExerciseFormat.ExerciseId).OfType<string>().ToHashSet();
        return sources
            .Select(s => (Source: s, Shared: ExerciseFormat.Exercises(s).Count(e => ids.Contains(e.Id))))
            .Where(x => x.Shared > 0)
            .OrderByDescending(x => x.Shared).ThenBy(x => Path.GetFileName(x.Source.Path), StringComparer.Ordinal)
            .Select(x => x.Source).FirstOrDefault();
    }
}
