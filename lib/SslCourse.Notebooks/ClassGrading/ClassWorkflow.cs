namespace SslCourse.Notebooks.ClassGrading;

/// <summary>
/// Puts the class-grading workflow (<c>.github/workflows/grade-class.yml</c> of the course) into an instructor's
/// private repository, with a roster template beside it when it has none. The private repository is a copy of the
/// course with the source notebooks: the workflow builds the <c>ssl-course</c> command from it and grades against its
/// <c>notebooks/</c>.
/// </summary>
public static class ClassWorkflow
{
    /// <summary>Where the workflow lives, in the course and in the instructor's repository.</summary>
    public const string WorkflowPath = ".github/workflows/grade-class.yml";

    /// <summary>The roster template written when the repository has no <c>roster.csv</c>.</summary>
    public const string RosterTemplate = "# One line per student: an identifier (letters, digits, . _ -) and the repository to grade (owner/name on GitHub).\nstudent,repository\n";

    /// <summary>Copies the workflow from <paramref name="courseRoot"/> into <paramref name="instructorRepo"/>
    /// (atomically; an identical file is left alone) and writes <c>roster.csv</c> there if absent. Returns one line
    /// per file saying what was done.</summary>
    /// <exception cref="ArgumentException">A folder is not what is expected; the message names it.</exception>
    public static IReadOnlyList<string> Install(string courseRoot, string instructorRepo)
    {
        var source = Path.Combine(courseRoot, WorkflowPath);
        if (!File.Exists(source)) throw new ArgumentException($"{source}: the course has no class-grading workflow.", nameof(courseRoot));
        instructorRepo = Path.GetFullPath(instructorRepo);
        if (!Directory.Exists(instructorRepo)) throw new ArgumentException($"{instructorRepo}: folder not found; expected the instructor's private repository (a copy of the course).", nameof(instructorRepo));
        foreach (var need in new[] { "lib/SslCourse.Cli/SslCourse.Cli.csproj", "notebooks" })
            if (!File.Exists(Path.Combine(instructorRepo, need)) && !Directory.Exists(Path.Combine(instructorRepo, need)))
                throw new ArgumentException($"{instructorRepo}: lacks {need}; the workflow builds ssl-course and grades against notebooks/ of this repository, so it must be a copy of the course.", nameof(instructorRepo));
        var done = new List<string>();
        var target = Path.Combine(instructorRepo, WorkflowPath);
        var text = File.ReadAllText(source);
        if (File.Exists(target) && File.ReadAllText(target) == text) done.Add($"{WorkflowPath}: unchanged");
        else
        {
            done.Add($"{WorkflowPath}: {(File.Exists(target) ? "updated" : "written")}");
            AtomicFile.WriteAllText(target, text);
        }
        var roster = Path.Combine(instructorRepo, "roster.csv");
        if (!File.Exists(roster))
        {
            AtomicFile.WriteAllText(roster, RosterTemplate);
            done.Add("roster.csv: template written (add one line per student)");
        }
        return done;
    }
}
