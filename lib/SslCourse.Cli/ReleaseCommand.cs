using System.CommandLine;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course release</c>: writes the student copies of source notebooks (solutions become stubs), as
/// loose notebooks (<c>--out</c>) or as a complete student repository (<c>--student-repo</c>).</summary>
public static class ReleaseCommand
{
    public static Command Create()
    {
        var notebooks = Options.Paths("notebooks", "Source notebooks (.ipynb, with solutions) or folders of them.");
        var outDir = Options.Text("out", "Folder for the student copies (solutions replaced by stubs, outputs cleared).", "DIR");
        var repoDir = Options.Text("student-repo", "Write a complete student repository (notebooks, library, data, devcontainers, autograde workflow).", "DIR");
        var noGit = Options.Flag("no-git", "With --student-repo: do not create the one-commit git history.");
        var gradingRepo = Options.Text("grading-repo", "Copy the class-grading workflow (and a roster template) into your private instructor repository.", "DIR");
        return Options.Verb("release", "Write the student copies of source notebooks: --out DIR, --student-repo DIR or --grading-repo DIR is required.",
            parse => Task.FromResult(Write(parse.GetValue(notebooks) ?? [], parse.GetValue(outDir), parse.GetValue(repoDir), !parse.GetValue(noGit), parse.GetValue(gradingRepo))),
            notebooks, outDir, repoDir, noGit, gradingRepo);
    }

    static int Write(string[] paths, string? outDir, string? repoDir, bool git, string? gradingRepo)
    {
        if (paths.Length == 0) throw new UsageException("no notebook given; expected source .ipynb files or folders, then --out DIR or --student-repo DIR.");
        if (outDir == null && repoDir == null && gradingRepo == null)
            throw new UsageException("--out DIR (the folder for the student copies), --student-repo DIR (a complete student repository) or --grading-repo DIR (the class-grading workflow into your private repository) is required.");
        var files = NotebookFiles.Expand(paths);
        if (repoDir != null) WriteRepository(files, repoDir, git);
        if (outDir != null) WriteCopies(files, Path.GetFullPath(outDir));
        if (gradingRepo != null) InstallClassWorkflow(files, gradingRepo);
        return Cli.Ok;
    }

    static void WriteCopies(List<string> files, string outDir)
    {
        var released = new List<(string Target, NotebookDocument Doc, int Exercises)>();
        foreach (var file in files)
        {
            var target = Path.Combine(outDir, Path.GetFileName(file));
            if (string.Equals(Path.GetFullPath(file), target, StringComparison.Ordinal))
                throw new UsageException($"{file}: --out would overwrite the source notebook; choose another folder.");
            var source = NotebookDocument.Load(file);
            released.Add((target, Release.Apply(source), ExerciseFormat.Exercises(source).Count));
        }
        foreach (var (target, doc, exercises) in released)
        {
            doc.Save(target);
            Console.WriteLine($"released {Path.GetFileName(target)}: {exercises} exercise(s) -> {target}");
        }
    }

    static void WriteRepository(List<string> files, string repoDir, bool git)
    {
        var root = CourseRoot(Path.GetDirectoryName(Path.GetFullPath(files[0]))!)
            ?? CourseRoot(Directory.GetCurrentDirectory())
            ?? throw new UsageException($"{files[0]}: no course repository (a folder with lib/SslCourse/SslCourse.csproj) above it or above the current folder.");
        try
        {
            var result = StudentRepository.Write(root, files, repoDir, git, Console.Out);
            Console.WriteLine($"student repository written: {result.Root} ({result.Notebooks.Count} notebook(s), {result.Files.Count} file(s)" +
                (result.GitCommit is { } c ? $", one commit {c[..12]})" : ", no git history)"));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    static string? CourseRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "lib", "SslCourse", "SslCourse.csproj"))) return dir.FullName;
        return null;
    }

    /// <summary>--grading-repo: the class-grading workflow (and a roster template) into the instructor's private repository.</summary>
    static void InstallClassWorkflow(List<string> files, string instructorRepo)
    {
        var root = CourseRoot(Path.GetDirectoryName(Path.GetFullPath(files[0]))!) ?? CourseRoot(Directory.GetCurrentDirectory())
            ?? throw new UsageException($"{files[0]}: no course repository (a folder with lib/SslCourse/SslCourse.csproj) above it or above the current folder.");
        try
        {
            foreach (var line in SslCourse.Notebooks.ClassGrading.ClassWorkflow.Install(root, instructorRepo)) Console.WriteLine($"grading repository {instructorRepo}: {line}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter")[0]);
        }
    }
}
