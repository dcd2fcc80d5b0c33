using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SslCourse.Notebooks;

/// <summary>What <see cref="StudentRepository.Write"/> produced.</summary>
/// <param name="Root">The student repository's folder.</param>
/// <param name="Notebooks">The released notebooks, by file name.</param>
/// <param name="Files">Every file written, relative to <paramref name="Root"/> (git's own files excluded).</param>
/// <param name="SolutionsScanned">How many solution texts were searched for (and not found) in every file.</param>
/// <param name="GitCommit">The commit of the repository's single-commit history, or null when git was not used.</param>
public sealed record StudentRepositoryResult(string Root, IReadOnlyList<string> Notebooks, IReadOnlyList<string> Files, int SolutionsScanned, string? GitCommit);

/// <summary>
/// Writes a complete, ready-to-publish student repository from the instructor's course repository: the released
/// notebooks (in <c>notebooks/</c> and, untouched, in <c>.course/notebooks/</c> for the autograde workflow), the
/// library and the <c>ssl-course</c> command, the data, the devcontainers and scripts, the autograde workflow, a
/// solution file without the test project, and a student README. Tests, CI, instructor documents and executed
/// copies stay behind. Before anything is published every file is searched for the text of every solution; one
/// found aborts the release and names the file and exercise. The repository gets a fresh single-commit git history,
/// so no earlier version of anything (a source notebook, say) can be recovered from it. The folder is written
/// under a temporary name beside the target and moved into place only when complete.
/// </summary>
public static class StudentRepository
{
    /// <summary>Paths (relative, '/'-separated) of the course repository that a student repository carries.</summary>
    static bool Carried(string path) =>
        (path.StartsWith("lib/", StringComparison.Ordinal) && !Regex.IsMatch(path, @"(^|/)(bin|obj)/")) ||
        path.StartsWith("data/", StringComparison.Ordinal) ||
        path.StartsWith(".devcontainer/", StringComparison.Ordinal) ||
        path.StartsWith("scripts/", StringComparison.Ordinal) ||
        path is "Directory.Build.props" or ".gitignore" or ".github/workflows/autograde.yml"
            or "docs/student-guide.md" or "docs/clients.md" or ".vscode/extensions.json" or ".vscode/settings.json";

    /// <summary>Solutions whose whitespace-collapsed text is shorter than this are searched for in notebooks only:
    /// a one-liner such as <c>return x.mean();</c> appears in any library and proves nothing there.</summary>
    public const int MinScannedLength = 40;

    /// <summary>Writes the student repository for <paramref name="sourceNotebooks"/> of the course at
    /// <paramref name="courseRoot"/> into <paramref name="outDir"/>, which must not exist or be empty.</summary>
    /// <exception cref="ArgumentException">A path is unusable; the message names it.</exception>
    /// <exception cref="NotebookFormatException">A notebook breaks the exercise format, or a solution text was found
    /// in a file of the student repository (nothing is written then).</exception>
    public static StudentRepositoryResult Write(string courseRoot, IReadOnlyList<string> sourceNotebooks, string outDir, bool git = true, TextWriter? log = null)
    {
        courseRoot = Path.GetFullPath(courseRoot);
        outDir = Path.GetFullPath(outDir).TrimEnd(Path.DirectorySeparatorChar);
        if (!File.Exists(Path.Combine(courseRoot, "lib", "SslCourse", "SslCourse.csproj")))
            throw new ArgumentException($"{courseRoot}: not a course repository (expected lib/SslCourse/SslCourse.csproj there).", nameof(courseRoot));
        if (sourceNotebooks.Count == 0) throw new ArgumentException("no notebooks to release.", nameof(sourceNotebooks));
        if (outDir == courseRoot || courseRoot.StartsWith(outDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{outDir}: the student repository cannot be the course repository or a folder above it.", nameof(outDir));
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new ArgumentException($"{outDir}: folder exists and is not empty; give a new or empty folder for the student repository.", nameof(outDir));
        if (File.Exists(outDir)) throw new ArgumentException($"{outDir}: is a file; expected a folder for the student repository.", nameof(outDir));

        // Release first: a format problem stops everything before a file is written.
        var released = new List<(string Name, NotebookDocument Doc)>();
        var solutions = new List<(string Notebook, string Exercise, string Text)>();
        foreach (var file in sourceNotebooks)
        {
            var source = NotebookDocument.Load(file);
            released.Add((Path.GetFileName(file), Release.Apply(source)));
            foreach (var e in ExerciseFormat.Exercises(source))
                foreach (var s in ExerciseFormat.Solutions(e.Cell.Source) ?? [])
                    if (Collapse(s).Length > 0) solutions.Add((Path.GetFileName(file), e.Id, s));
        }
        var dupes = released.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0) throw new ArgumentException($"two notebooks named {string.Join(", ", dupes)}: the student repository holds one notebooks/ folder.", nameof(sourceNotebooks));

        var parent = Path.GetDirectoryName(outDir)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(outDir)}.tmp-{Guid.NewGuid():N}");
        var written = new List<string>();
        try
        {
            foreach (var rel in CourseFiles(courseRoot).Where(Carried))
            {
                var target = Path.Combine(temp, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(courseRoot, rel), target);
                written.Add(rel);
            }
            foreach (var (name, doc) in released)
            {
                foreach (var folder in new[] { "notebooks", ".course/notebooks" })
                {
                    Directory.CreateDirectory(Path.Combine(temp, folder));
                    doc.Save(Path.Combine(temp, folder, name));
                    written.Add($"{folder}/{name}");
                }
            }
            WriteText(temp, "SslCourse.sln", SolutionWithoutTests(File.ReadAllText(Path.Combine(courseRoot, "SslCourse.sln"))), written);
            WriteText(temp, "README.md", StudentReadme(released.Select(r => r.Name).ToList()), written);

            int scanned = ScanForSolutions(temp, written, solutions);
            log?.WriteLine($"student repository: {released.Count} notebook(s), {written.Count} file(s); {scanned} solution text(s) searched for in every file, none found");

            string? commit = null;
            if (git) commit = InitGit(temp, log);
            if (Directory.Exists(outDir)) Directory.Delete(outDir);
            Directory.Move(temp, outDir);
            return new StudentRepositoryResult(outDir, released.Select(r => r.Name).ToList(), written, scanned, commit);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>The course's files: the files git tracks or would track (not ignored) when the course is a git work tree, else every file outside
    /// build outputs and executed copies.</summary>
    static IEnumerable<string> CourseFiles(string root)
    {
        if (Directory.Exists(Path.Combine(root, ".git")) || File.Exists(Path.Combine(root, ".git")))
        {
            var (code, output) = Git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
            if (code == 0)
                return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(p => File.Exists(Path.Combine(root, p))).Order(StringComparer.Ordinal).ToList();
        }
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(p => !Regex.IsMatch(p, @"(^|/)(bin|obj|executed|\.git)/"))
            .Order(StringComparer.Ordinal).ToList();
    }

    static void WriteText(string root, string rel, string text, List<string> written)
    {
        File.WriteAllText(Path.Combine(root, rel), text, new UTF8Encoding(false));
        written.Add(rel);
    }

    static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>Searches every written text file for every solution (whitespace-insensitive); returns how many
    /// solutions were searched for. Throws naming the first file and exercise whose solution was found.</summary>
    static int ScanForSolutions(string root, IEnumerable<string> files, List<(string Notebook, string Exercise, string Text)> solutions)
    {
        var needles = solutions.Select(s => (s.Notebook, s.Exercise, Text: Collapse(s.Text))).ToList();
        foreach (var rel in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, rel));
            if (Array.IndexOf(bytes, (byte)0) >= 0) continue; // binary (gzipped data, checkpoints)
            var text = Collapse(Encoding.UTF8.GetString(bytes));
            // Notebook JSON escapes quotes and newlines: compare with the collapsed cell sources instead.
            if (rel.EndsWith(".ipynb", StringComparison.Ordinal))
                text = Collapse(string.Join("\n", NotebookDocument.Load(Path.Combine(root, rel)).Cells.Select(c => c.Source)));
            bool notebook = rel.EndsWith(".ipynb", StringComparison.Ordinal);
            foreach (var (nb, ex, needle) in needles)
                if ((notebook || needle.Length >= MinScannedLength) && text.Contains(needle, StringComparison.Ordinal))
                    throw new NotebookFormatException($"{rel}: holds the solution of exercise '{ex}' of {nb}; the student repository was not written.");
        }
        return needles.Count;
    }

    /// <summary>The solution file with every project under tests/ (and the tests folder) removed.</summary>
    public static string SolutionWithoutTests(string sln)
    {
        var lines = sln.Replace("\r\n", "\n").Split('\n').ToList();
        var project = new Regex(@"^Project\(""\{[^}]+\}""\)\s*=\s*""[^""]*"",\s*""(?<path>[^""]*)"",\s*""\{(?<guid>[^}]+)\}""");
        var dropped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
            if (project.Match(line) is { Success: true } m && (m.Groups["path"].Value.Replace('\\', '/') is var p) && (p == "tests" || p.StartsWith("tests/", StringComparison.Ordinal)))
                dropped.Add(m.Groups["guid"].Value);
        var result = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (project.Match(lines[i]) is { Success: true } m && dropped.Contains(m.Groups["guid"].Value))
            {
                while (i < lines.Count && lines[i].Trim() != "EndProject") i++;
                continue;
            }
            if (dropped.Any(g => lines[i].Contains(g, StringComparison.OrdinalIgnoreCase))) continue;
            result.Add(lines[i]);
        }
        return string.Join("\r\n", result);
    }

    static string StudentReadme(IReadOnlyList<string> notebooks)
    {
        var sb = new StringBuilder();
        sb.Append("""
            # Self-supervised learning in C#: your course repository

            This repository holds the course's notebooks with the exercises left for you, the course library they use
            (`lib/`), the data (`data/`, nothing is downloaded), and the set-up for GitHub Codespaces and VS Code.

            ## Start

            - **Codespaces**: *Code → Codespaces → Create codespace*. The container builds the library, installs the
              .NET Jupyter kernel and runs a self-check; open `notebooks/00-welcome.ipynb` when it is done.
            - **Your own machine** (with the .NET 10 SDK): `bash scripts/post-create.sh`, then open the notebooks in VS Code
              (kernel `.NET (C#)`), or run them from a terminal:

                  dotnet run --project lib/SslCourse.Cli -- run notebooks/00-welcome.ipynb

            ## Exercises

            An exercise cell starts with `// EXERCISE <id> (<n> points)`. Replace the line that throws
            `NotImplementedException` with your code (between `// BEGIN SOLUTION` and `// END SOLUTION`), run the cell, then
            run the check cell right after it: it says *passed*, or what is wrong. Check cells are locked; grading uses its
            own copies of them, so editing one changes nothing. Later cells use the library's own implementation, so an
            unsolved exercise never stops the rest of a notebook from running.

            Budgets: notebooks run in about 3 minutes each on a 2-core machine (`full`, the default in a notebook). Set
            `SSL_COURSE_BUDGET=smoke` for a quick pass in seconds.

            ## Submitting

            Commit and push your notebooks. The `autograde` workflow (GitHub Actions) grades `notebooks/` against the
            pristine copies in `.course/notebooks/` and writes your feedback into the run's summary. Your instructor's
            grade comes from their own run of the same checks. To see your grade before you push:

                dotnet run --project lib/SslCourse.Cli -- grade notebooks --source .course/notebooks --out grades

            More: `docs/student-guide.md` (budgets, GPU, the problems students hit first) and `docs/clients.md` (other
            notebook front ends).

            ## Notebooks

            """);
        foreach (var n in notebooks) sb.Append("- `notebooks/").Append(n).Append("`\n");
        return sb.ToString();
    }

    static string? InitGit(string root, TextWriter? log)
    {
        if (Git(root, "--version").Code == 127)
        {
            log?.WriteLine("student repository: git was not found, so the folder has no git history yet (run git init there before publishing)");
            return null;
        }
        var steps = new[]
        {
            new[] { "init", "-q", "-b", "main" },
            ["add", "-A"],
            ["-c", "user.name=ssl-course release", "-c", "user.email=release@ssl-course.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Course release for students"],
        };
        foreach (var args in steps)
        {
            var (code, output) = Git(root, args);
            if (code != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {root}: {output.Trim()}");
        }
        var (_, head) = Git(root, "rev-parse", "HEAD");
        log?.WriteLine($"student repository: git history of one commit {head.Trim()[..Math.Min(12, head.Trim().Length)]}");
        return head.Trim();
    }

    static (int Code, string Output) Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"git not found: {e.Message}");
        }
    }
}
