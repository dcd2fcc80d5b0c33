namespace SslCourse.Exercises;

/// <summary>
/// Entry point of the checks that follow each exercise cell. A check compares the student's function with a
/// reference on seeded inputs, part by part; it never throws: whatever the student's code does (throws, returns
/// null, the wrong shape or type of value), the result is a <see cref="CheckResult"/> that says what went wrong.
/// </summary>
/// <example><code>
/// global::SslCourse.Exercises.Check.Exercise("ntxent")
///     .Tensor("loss for 8 pairs at temperature 0.5", () => NtXentExercise(za, zb, 0.5), () => global::SslCourse.Losses.NtXent.Loss(za, zb, 0.5))
///     .Done()
/// </code></example>
public static class Check
{
    /// <summary>Starts the check of one exercise. Parts run in order when <see cref="CheckBuilder.Done"/> is
    /// called; the first failing part decides the message.</summary>
    /// <param name="exercise">The exercise id, e.g. <c>"ntxent"</c>.</param>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    public static CheckBuilder Exercise(string exercise)
    {
        if (string.IsNullOrWhiteSpace(exercise))
            throw new ArgumentException($"exercise id '{exercise}' is empty; expected the id of the exercise cell.", nameof(exercise));
        return new CheckBuilder(exercise.Trim());
    }

    /// <summary>The message for a student function that still throws <see cref="NotImplementedException"/>.</summary>
    public const string NotImplementedText = "not implemented yet — write your code between BEGIN SOLUTION and END SOLUTION";
}
