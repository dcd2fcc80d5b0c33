using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SslCourse.Cli.Site;

/// <summary>
/// Markdown to HTML with Markdig (CommonMark, pipe tables, heading ids) and <c>$…$</c> / <c>$$…$$</c> math typeset to
/// MathML by <see cref="Katex"/>; links to notebooks of the site become links to their pages, and local
/// pictures are copied into the site by <paramref name="localAsset"/>.
/// </summary>
/// <param name="katex">The formula renderer.</param>
/// <param name="localAsset">Called with the absolute path of a picture the Markdown refers to; returns its URL in the site.</param>
/// <param name="pageOf">A notebook file name (e.g. <c>02-semi-supervised.ipynb</c>) -> its page, or null when not in the site.</param>
public sealed partial class MarkdownPages(Katex katex, Func<string, string> localAsset, Func<string, string?> pageOf)
{
    readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseAutoLinks()
        .Build();

    /// <summary>Renders <paramref name="markdown"/>; relative paths in it are resolved against <paramref name="baseFolder"/>.</summary>
    public string ToHtml(string markdown, string baseFolder)
    {
        // Formulas are found as Jupyter's MathJax finds them ($…$ and $$…$$, also across lines of a paragraph, where
        // Markdig's math extension stops), typeset first, and put back into Markdig's HTML; code is left alone.
        var formulas = new List<string>();
        markdown = MathSpans().Replace(markdown, m =>
        {
            if (m.Groups["code"].Success) return m.Value;
            formulas.Add(m.Groups["display"].Success
                ? $"<span class=\"math-display\">{katex.ToMathMl(m.Groups["display"].Value, display: true)}</span>"
                : katex.ToMathMl(m.Groups["inline"].Value, display: false));
            return $"SSLCOURSEMATH{formulas.Count - 1}X";
        });
        var doc = Markdown.Parse(markdown, _pipeline);
        foreach (var link in doc.Descendants<LinkInline>()) link.Url = Rewrite(link.Url, link.IsImage, baseFolder);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(doc);
        writer.Flush();
        var html = writer.ToString();
        return formulas.Count == 0 ? html : Placeholder().Replace(html, m => formulas[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    // Code (fenced or inline) is kept as it is. $$…$$ is display math; $…$ is inline math when the text inside starts
    // and ends with a non-space and no digit follows (so "$5 and $10" stays text); neither crosses a blank line.
    [GeneratedRegex(@"(?<code>^[ \t]*```[\s\S]*?^[ \t]*```|`[^`\n]*`)|(?<!\\)\$\$(?<display>(?:[^$]|\n(?![ \t]*\n))+?)\$\$|(?<!\\)\$(?=[^\s$])(?<inline>(?:[^$\n]|\n(?![ \t]*\n))+?)(?<=[^\s\\])\$(?!\d)", RegexOptions.Multiline)]
    private static partial Regex MathSpans();

    [GeneratedRegex(@"SSLCOURSEMATH(\d+)X")]
    private static partial Regex Placeholder();

    /// <summary>The first paragraph of <paramref name="markdown"/> as inline HTML (no surrounding &lt;p&gt;), or "".</summary>
    public string FirstParagraph(string markdown)
    {
        var doc = Markdown.Parse(markdown, _pipeline);
        var para = doc.Descendants<ParagraphBlock>().FirstOrDefault();
        if (para == null) return "";
        var html = ToHtml(markdown.Substring(para.Span.Start, para.Span.Length), ".").Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal) ? html[3..^4] : html;
    }

    /// <summary>The text of the first level-1 heading, or null.</summary>
    public string? Title(string markdown)
    {
        var doc = Markdown.Parse(markdown, _pipeline);
        var heading = doc.Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1);
        return heading?.Inline == null ? null : string.Concat(heading.Inline.Descendants<LeafInline>().Select(l => l switch { LiteralInline t => t.Content.ToString(), CodeInline c => c.Content, _ => "" }));
    }

    string? Rewrite(string? url, bool image, string baseFolder)
    {
        if (string.IsNullOrEmpty(url) || url.StartsWith('#') || Uri.TryCreate(url, UriKind.Absolute, out _)) return url;
        var hash = url.IndexOf('#');
        var (path, anchor) = hash >= 0 ? (url[..hash], url[hash..]) : (url, "");
        var file = Path.GetFullPath(Path.Combine(baseFolder, Uri.UnescapeDataString(path)));
        if (image) return File.Exists(file) ? localAsset(file) : url;
        return pageOf(Path.GetFileName(file)) is { } page && path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? page + anchor : url;
    }
}
