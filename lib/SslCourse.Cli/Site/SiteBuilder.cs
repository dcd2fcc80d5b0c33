using System.Text;
using System.Text.RegularExpressions;
using SslCourse.Notebooks;

namespace SslCourse.Cli.Site;

/// <summary>What <see cref="SiteBuilder.Build"/> wrote.</summary>
/// <param name="Root">The site folder.</param>
/// <param name="Pages">The HTML pages, relative to <paramref name="Root"/>.</param>
/// <param name="Images">How many pictures were written.</param>
/// <param name="Notes">Things worth telling (a notebook without outputs, no results file).</param>
public sealed record SiteResult(string Root, IReadOnlyList<string> Pages, int Images, IReadOnlyList<string> Notes);

/// <summary>Settings of <see cref="SiteBuilder.Build"/>.</summary>
public sealed record SiteOptions
{
    /// <summary>results/RESULTS.md to summarise on the index and show as a page; null for none.</summary>
    public string? ResultsFile { get; init; }

    /// <summary>The course repository's web address (for "how to run the notebooks"); null when unknown.</summary>
    public string? RepositoryUrl { get; init; }

    /// <summary>The site's title.</summary>
    public string Title { get; init; } = "Self-supervised learning, taught with C# notebooks";
}

/// <summary>
/// A static site of executed notebooks: <c>index.html</c> (syllabus from the notebooks' titles and first paragraphs,
/// the results summary, how to run the notebooks), one page per notebook (prose, math as MathML, code, outputs,
/// pictures, tables, check results, previous/next), <c>results.html</c>. Only relative links and no scripts, so it
/// works from <c>file://</c> and on GitHub Pages. The folder is written whole into a temporary sibling and then moved
/// into place; an existing folder is replaced only when an earlier run wrote it.
/// </summary>
public static class SiteBuilder
{
    /// <summary>The file that marks a folder as written by <see cref="Build"/> (so a rebuild may replace it).</summary>
    public const string Marker = ".ssl-course-site";

    sealed record Page(NotebookDocument Notebook, string File, string Title, string Summary);

    /// <summary>Builds the site of <paramref name="notebooks"/> (in order) into <paramref name="outDir"/>.
    /// Throws <see cref="UsageException"/> naming the notebook and cell for a formula KaTeX rejects, or an unusable --out.</summary>
    public static SiteResult Build(IReadOnlyList<NotebookDocument> notebooks, string outDir, SiteOptions options)
    {
        outDir = Path.GetFullPath(outDir);
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any() && !File.Exists(Path.Combine(outDir, Marker)))
            throw new UsageException($"--out {outDir}: folder exists and was not written by `ssl-course site`; choose an empty or new folder.");
        var parent = Path.GetDirectoryName(outDir)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(outDir)}.tmp-{Guid.NewGuid():N}"[..^24]);
        Directory.CreateDirectory(temp);
        try
        {
            var result = Write(notebooks, temp, options);
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
            Directory.Move(temp, outDir);
            return result with { Root = outDir };
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    static SiteResult Write(IReadOnlyList<NotebookDocument> notebooks, string root, SiteOptions options)
    {
        var katex = new Katex();
        var notes = new List<string>();
        var pagesByNotebook = notebooks.ToDictionary(n => Path.GetFileName(n.Path), n => Path.GetFileNameWithoutExtension(n.Path) + ".html", StringComparer.Ordinal);
        var assets = new AssetFolder(root);
        var markdown = new MarkdownPages(katex, assets.Copy, name => pagesByNotebook.GetValueOrDefault(name));
        var pages = new List<string>();

        var syllabus = notebooks.Select(nb =>
        {
            var first = nb.Cells.FirstOrDefault(c => c.Kind == "markdown")?.Source ?? "";
            var title = markdown.Title(first) ?? Path.GetFileNameWithoutExtension(nb.Path);
            var summary = InNotebook(nb, null, () => markdown.FirstParagraph(StripFirstHeading(first)));
            return new Page(nb, pagesByNotebook[Path.GetFileName(nb.Path)], title, summary);
        }).ToList();

        string? resultsSummary = null;
        if (options.ResultsFile is { } resultsFile)
        {
            var text = File.ReadAllText(resultsFile);
            var body = InFile(resultsFile, () => markdown.ToHtml(text, Path.GetDirectoryName(Path.GetFullPath(resultsFile))!));
            Save(root, "results.html", Layout("Results", options.Title, body, null, null));
            pages.Add("results.html");
            resultsSummary = ResultsSummary(text, markdown);
        }
        else notes.Add("no results/RESULTS.md found: the index has no results summary (give one with --results FILE).");

        int images = 0;
        for (int i = 0; i < syllabus.Count; i++)
        {
            var page = syllabus[i];
            if (!page.Notebook.Cells.Any(c => c.IsCode && c.Outputs.Count > 0))
                notes.Add($"{Path.GetFileName(page.Notebook.Path)} has no outputs: was it executed (ssl-course run)?");
            var writer = new NotebookPageWriter(page.Notebook, markdown, assets);
            var body = writer.Body(page.Title);
            images += writer.Images;
            var prev = i > 0 ? syllabus[i - 1] : null;
            var next = i + 1 < syllabus.Count ? syllabus[i + 1] : null;
            Save(root, page.File, Layout(page.Title, options.Title, body, prev == null ? null : (prev.File, prev.Title), next == null ? null : (next.File, next.Title)));
            pages.Add(page.File);
        }

        Save(root, "index.html", Layout(options.Title, options.Title, Index(syllabus, resultsSummary, options), null, syllabus.Count > 0 ? (syllabus[0].File, syllabus[0].Title) : null, isIndex: true));
        pages.Insert(0, "index.html");
        using (var css = typeof(SiteBuilder).Assembly.GetManifestResourceStream("SslCourse.Cli.Site.site.css")!)
        using (var target = File.Create(Path.Combine(root, "site.css"))) css.CopyTo(target);
        using (var licence = typeof(SiteBuilder).Assembly.GetManifestResourceStream("SslCourse.Cli.Site.katex.LICENSE")!)
        using (var target = File.Create(Path.Combine(root, "KATEX-LICENSE.txt"))) licence.CopyTo(target);
        File.WriteAllText(Path.Combine(root, ".nojekyll"), "");
        File.WriteAllText(Path.Combine(root, Marker), "written by ssl-course site; the next run replaces this folder\n");
        return new SiteResult(root, pages, images + assets.Count, notes);
    }

    static string StripFirstHeading(string markdown)
    {
        var lines = markdown.Split('\n').ToList();
        int h = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
        if (h >= 0) lines.RemoveAt(h);
        return string.Join('\n', lines);
    }

    /// <summary>Runs <paramref name="render"/>; a formula KaTeX rejects becomes a usage error naming the notebook (and cell).</summary>
    internal static T InNotebook<T>(NotebookDocument nb, NotebookCell? cell, Func<T> render)
    {
        try { return render(); }
        catch (MathException e) { throw new UsageException($"{nb.Path}{(cell == null ? "" : $" cell {cell.Number}")}: {e.Message}"); }
    }

    static T InFile<T>(string file, Func<T> render)
    {
        try { return render(); }
        catch (MathException e) { throw new UsageException($"{file}: {e.Message}"); }
    }

    static string ResultsSummary(string text, MarkdownPages markdown)
    {
        var sb = new StringBuilder();
        var intro = markdown.FirstParagraph(StripFirstHeading(text));
        if (intro.Length > 0) sb.Append("<p>").Append(intro).AppendLine("</p>");
        var sections = Regex.Matches(text, @"^## (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Trim()).ToList();
        if (sections.Count > 0)
        {
            sb.AppendLine("<ul class=\"results-sections\">");
            foreach (var s in sections) sb.AppendLine($"<li><a href=\"results.html#{HeadingId(s)}\">{Esc(s)}</a></li>");
            sb.AppendLine("</ul>");
        }
        sb.AppendLine("<p><a href=\"results.html\">All results</a></p>");
        return sb.ToString();
    }

    /// <summary>The id Markdig's GitHub-style auto identifiers give a heading.</summary>
    static string HeadingId(string heading)
    {
        var sb = new StringBuilder();
        foreach (var ch in heading.ToLowerInvariant())
            if (char.IsLetterOrDigit(ch) || ch is '-' or '_') sb.Append(ch);
            else if (ch == ' ') sb.Append('-');
        return sb.ToString();
    }

    static string Index(IReadOnlyList<Page> syllabus, string? resultsSummary, SiteOptions options)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"<h1>{Esc(options.Title)}</h1>");
        sb.AppendLine("<p>A course on self-supervised learning that runs: every page below is a C# notebook executed on a laptop CPU, with its code, its outputs and its pictures. Read it here, or run the notebooks yourself and change them.</p>");
        sb.AppendLine("<h2 id=\"syllabus\">Syllabus</h2>");
        sb.AppendLine("<ol class=\"syllabus\">");
        foreach (var p in syllabus)
            sb.AppendLine($"<li><a href=\"{p.File}\">{Esc(p.Title)}</a>{(p.Summary.Length > 0 ? $"<p>{p.Summary}</p>" : "")}</li>");
        sb.AppendLine("</ol>");
        if (resultsSummary != null) sb.AppendLine("<h2 id=\"results\">Results</h2>").AppendLine(resultsSummary);
        sb.AppendLine("<h2 id=\"run-the-notebooks\">Run the notebooks yourself</h2>");
        var repo = options.RepositoryUrl?.TrimEnd('/');
        sb.AppendLine(repo != null
            ? $"<p>The notebooks live in <a href=\"{Esc(repo)}\">the course repository</a>; its <a href=\"{Esc(repo)}#readme\">README</a> says how to open them in VS Code or Jupyter. On a machine with the .NET 10 SDK:</p>"
            : "<p>The notebooks live in the course repository (folder <code>notebooks/</code>); its README says how to open them in VS Code or Jupyter. On a machine with the .NET 10 SDK, in a clone of it:</p>");
        if (repo != null) sb.AppendLine($"<pre class=\"code\"><code>git clone {Esc(repo)}.git\ncd {Esc(repo.Split('/')[^1])}</code></pre>");
        sb.AppendLine("<pre class=\"code\"><code>dotnet run --project lib/SslCourse.Cli -- run notebooks    # run every notebook (executed copies in executed/full)\ndotnet run --project lib/SslCourse.Cli -- site executed/full --out site    # this site</code></pre>");
        sb.AppendLine("<p>Open <code>notebooks/00-welcome.ipynb</code> in VS Code (Jupyter extension with the .NET Interactive kernel) and run its first cell; <code>--budget smoke</code> runs every notebook in seconds.</p>");
        return sb.ToString();
    }

    static string Layout(string title, string siteTitle, string body, (string File, string Title)? prev, (string File, string Title)? next, bool isIndex = false)
    {
        var nav = new StringBuilder("<nav class=\"pager\">");
        nav.Append(isIndex ? "<span></span>" : "<a class=\"home\" href=\"index.html\">Contents</a>");
        nav.Append(prev is { } p ? $"<a class=\"prev\" rel=\"prev\" href=\"{p.File}\">← {Esc(p.Title)}</a>" : "<span></span>");
        nav.Append(next is { } n ? $"<a class=\"next\" rel=\"next\" href=\"{n.File}\">{Esc(n.Title)} →</a>" : "<span></span>");
        nav.Append("</nav>");
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Esc(isIndex ? siteTitle : $"{title} · {siteTitle}")}</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="site.css">
            </head>
            <body>
            <header>{nav}</header>
            <main>
            {body}
            </main>
            <footer>{nav}<p class="colophon">Built by <code>ssl-course site</code> from executed notebooks; formulas typeset by KaTeX {Katex.Version} (<a href="KATEX-LICENSE.txt">MIT licence</a>).</p></footer>
            </body>
            </html>

            """;
    }

    static void Save(string root, string file, string html) => File.WriteAllText(Path.Combine(root, file), html, new UTF8Encoding(false));

    /// <summary>Escapes text for HTML (only &amp; &lt; &gt; and quotes: the pages are UTF-8).</summary>
    internal static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}

/// <summary>Pictures of the site, in <c>img/</c>: files the Markdown refers to, and outputs.</summary>
sealed class AssetFolder(string root)
{
    readonly Dictionary<string, string> _copied = new(StringComparer.Ordinal);
    public int Count => _copied.Count;

    /// <summary>Copies a local file into <c>img/</c> once; returns its relative URL.</summary>
    public string Copy(string file)
    {
        if (_copied.TryGetValue(file, out var url)) return url;
        var name = $"{_copied.Count:000}-{Path.GetFileName(file)}";
        Directory.CreateDirectory(Path.Combine(root, "img"));
        File.Copy(file, Path.Combine(root, "img", name));
        return _copied[file] = "img/" + Uri.EscapeDataString(name);
    }

    /// <summary>Writes output bytes as <c>img/NAME</c>; returns its relative URL.</summary>
    public string Write(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(root, "img"));
        File.WriteAllBytes(Path.Combine(root, "img", name), bytes);
        return "img/" + Uri.EscapeDataString(name);
    }
}
