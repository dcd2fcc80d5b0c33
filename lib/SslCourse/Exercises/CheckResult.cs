namespace SslCourse.Exercises;

/// <summary>
/// The outcome of one exercise's check: the exercise id, whether every part passed, and one short sentence
/// (<c>✓ id: all N checks passed</c> or <c>✗ id: what: expected ..., got .... Hint: ...</c>). A check cell returns
/// it as its value; in a notebook it shows as one line (see <see cref="Display.CheckDisplay"/>); the grader reads the
/// live object, never its printed text.
/// </summary>
/// <param name="Exercise">The exercise id (as in the cell metadata <c>ssl_course.exercise</c>).</param>
/// <param name="Passed">True when every part of the check passed.</param>
/// <param name="Message">One or two sentences for the student.</param>
public sealed record CheckResult(string Exercise, bool Passed, string Message)
{
    /// <summary>The message (what a terminal or a plain-text front end shows).</summary>
    public override string ToString() => Message;
}
