namespace SslCourse.Notebooks;

/// <summary>
/// Makes the student copy of a notebook: the code between the solution markers of every exercise cell becomes a
/// stub that throws <see cref="NotImplementedException"/> naming the exercise; every answer cell of a written question
/// is emptied (a model answer in the instructor's copy never reaches students); outputs are cleared; everything else
/// (check cells, metadata, ids, narrative) is kept as it is.
/// </summary>
public static class Release
{
    /// <summary>The released copy of <paramref name="source"/> (not modified).</summary>
    /// <exception cref="NotebookFormatException">The exercise format is not followed; the message names the notebook and cells.</exception>
    public static NotebookDocument Apply(NotebookDocument source)
    {
        var problems = ExerciseFormat.Problems(source);
        if (problems.Count > 0)
            throw new NotebookFormatException($"{source.Path}: {string.Join(" ", problems)}");
        var copy = source.Clone();
        copy.ClearOutputs();
        foreach (var e in ExerciseFormat.Exercises(copy))
            e.Cell.Source = StubOut(e.Cell.Source, e.Id, e.Title);
        foreach (var q in ExerciseFormat.Questions(copy))
            q.Cell.Source = "";
        return copy;
    }

    /// <summary>An exercise cell's source with every solution region replaced by the stub.</summary>
    public static string StubOut(string source, string id, string title) =>
        ExerciseFormat.ReplaceSolutions(source, (_, indent) => ExerciseFormat.Stub(id, title, indent));
}
