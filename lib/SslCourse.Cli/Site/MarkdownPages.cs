using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SslCourse.Cli.Site;

/// <summary>
/// Markdown to HTML with Markdig (CommonMark, pipe tables, heading ids, <c>$…$</c> and <c>$$…$$</c> math). Math is
/// typeset to MathML by <see cref="Katex"/>; links to notebooks of the site become links to their pages, and local
/// pictures are copied into the site by <paramref name="localAsset"/>.
/// </summary>
/// <param name="katex">The formula renderer.</param>
/// <param name="localAsset">Called with the absolute path of a picture the Markdown refers to; returns its URL in the site.</param>
/// <param name="pageOf">A notebook file name (e.g. <c>02-semi-supervised.ipynb</c>) -> its page, or null when not in the site.</param>
public sealed class MarkdownPages(Katex katex, Func<string, string> localAsset, Func<string, string?> pageOf)
{
    readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseAutoLinks()
        .Build();

    /// <summary>Renders <paramref name="markdown"/>; relative paths in it are resolved against <paramref name="baseFolder"/>.</summary>
    public string ToHtml(string markdown, string baseFolder)
    {
        var doc = Markdown.Parse(markdown, _pipeline);
        foreach (var link in doc.Descendants<LinkInline>()) link.Url = Rewrite(link.Url, link.IsImage, baseFolder);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.ObjectRenderers.Replace<HtmlMathInlineRenderer>(new MathInlineRenderer(katex));
        renderer.ObjectRenderers.Replace<HtmlMathBlockRenderer>(new MathBlockRenderer(katex));
        renderer.Render(doc);
        writer.Flush();
        return writer.ToString();
    }

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

    sealed class MathInlineRenderer(Katex katex) : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math) =>
            renderer.Write(katex.ToMathMl(math.Content.ToString(), display: math.DelimiterCount >= 2));
    }

    sealed class MathBlockRenderer(Katex katex) : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock math)
        {
            renderer.EnsureLine();
            renderer.Write("<div class=\"math-display\">").Write(katex.ToMathMl(math.Lines.ToString(), display: true)).WriteLine("</div>");
        }
    }
}
