using System.CommandLine;
using SslCourse.Cli.Site;
using SslCourse.Notebooks;

namespace SslCourse.Cli;

/// <summary><c>ssl-course site</c>: a static website of executed notebooks (see <see cref="SiteBuilder"/>).</summary>
public static class SiteCommand
{
    public static Command Create()
    {
        var notebooks = Options.Paths("executed", "Executed notebooks or a folder of them (e.g. executed/full, written by `ssl-course run`).");
        var outDir = Options.Text("out", "Required: the folder for the site (replaced when an earlier `ssl-course site` wrote it).", "DIR");
        var results = Options.Text("results", "The results file to summarise [default: results/RESULTS.md above the notebooks or the current folder, if any].", "FILE");
        var repo = Options.Text("repo-url", "The course repository's web address, linked from the index (the site workflow passes it).", "URL");
        var title = Options.Text("title", "The site's title.", "TEXT");
        return Options.Verb("site", "Build a static website of executed notebooks: an index with the syllabus and results, a page per notebook.", parse =>
            Task.FromResult(Build(parse.GetValue(notebooks) ?? [], parse.GetValue(outDir), parse.GetValue(results), parse.GetValue(repo), parse.GetValue(title))),
            notebooks, outDir, results, repo, title);
    }

    static int Build(string[] paths, string? outDir, string? results, string? repo, string? title)
    {
        if (paths.Length == 0) throw new UsageException("no notebook given; expected a folder of executed notebooks (e.g. executed/full) or .ipynb files.");
        if (outDir == null) throw new UsageException("--out DIR is required: the folder for the site.");
        if (results != null && !File.Exists(results)) throw new UsageException($"--results {results}: no such file.");
        if (repo != null && !(Uri.TryCreate(repo, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            throw new UsageException($"--repo-url '{repo}': expected an http(s) address such as https://github.com/owner/course.");
        var files = NotebookFiles.Expand(paths);
        var notebooks = files.Select(NotebookDocument.Load).ToList();
        results ??= FindResults(Path.GetDirectoryName(Path.GetFullPath(files[0]))!) ?? FindResults(Directory.GetCurrentDirectory());
        var options = new SiteOptions { ResultsFile = results, RepositoryUrl = repo };
        if (title != null) options = options with { Title = title };
        var site = SiteBuilder.Build(notebooks, outDir, options);
        foreach (var note in site.Notes) Console.WriteLine($"note: {note}");
        Console.WriteLine($"ssl-course site: {site.Pages.Count} page(s), {site.Images} picture(s) -> {Path.Combine(site.Root, "index.html")}");
        return Cli.Ok;
    }

    /// <summary>results/RESULTS.md in <paramref name="start"/> or a folder above it.</summary>
    static string? FindResults(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "results", "RESULTS.md"))) return Path.Combine(dir.FullName, "results", "RESULTS.md");
        return null;
    }
}
