using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SslCourse.Notebooks;

namespace SslCourse.Cli.Site;

/// <summary>The body of one notebook's page: prose (Markdown), code, and each output in the richest form a browser
/// shows offline (a picture, an HTML table without scripts, Markdown, text); check cells show their result as passed
/// or failed.</summary>
sealed partial class NotebookPageWriter(NotebookDocument notebook, MarkdownPages markdown, AssetFolder assets)
{
    readonly string _stem = Path.GetFileNameWithoutExtension(notebook.Path);
    readonly string _folder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;

    /// <summary>How many output pictures <see cref="Body"/> wrote.</summary>
    public int Images { get; private set; }

    public string Body(string title)
    {
        var cells = new StringBuilder();
        int passed = 0, failed = 0;
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == "markdown")
            {
                cells.AppendLine("<section class=\"prose\">").Append(SiteBuilder.InNotebook(notebook, cell, () => markdown.ToHtml(cell.Source, _folder))).AppendLine("</section>");
                continue;
            }
            if (!cell.IsCode) continue;
            var check = cell.Metadata["ssl_course"]?["check"] != null;
            cells.AppendLine($"<section class=\"cell{(check ? " check-cell" : "")}\" id=\"cell-{cell.Number}\">");
            cells.AppendLine($"<pre class=\"code\"><code class=\"language-csharp\">{SiteBuilder.Esc(cell.Source.TrimEnd())}</code></pre>");
            int k = 0;
            foreach (var output in cell.Outputs.OfType<JsonObject>())
            {
                var html = check && CheckText(output) is { } result ? Check(result, ref passed, ref failed) : Output(cell, output, ++k);
                if (html.Length > 0) cells.AppendLine(html);
            }
            cells.AppendLine("</section>");
        }
        var head = new StringBuilder();
        head.AppendLine($"<p class=\"source\">Notebook <code>{SiteBuilder.Esc(Path.GetFileName(notebook.Path))}</code>");
        if (passed + failed > 0)
            head.Append($" · checks: <span class=\"{(failed == 0 ? "passed" : "failed")}\">{passed} of {passed + failed} passed</span>");
        head.AppendLine("</p>");
        return head.ToString() + cells;
    }

    static string? CheckText(JsonObject output) =>
        output["data"]?["text/plain"] is { } text ? Joined(text) : null;

    static string Check(string text, ref int passed, ref int failed)
    {
        bool ok = text.TrimStart().StartsWith('✓');
        if (ok) passed++; else failed++;
        return $"<div class=\"check {(ok ? "passed" : "failed")}\">{SiteBuilder.Esc(text.Trim())}</div>";
    }

    string Output(NotebookCell cell, JsonObject output, int k)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                return $"<pre class=\"output {name}\">{SiteBuilder.Esc(Ansi().Replace(Joined(output["text"]), ""))}</pre>";
            case "error":
                return $"<pre class=\"output error\">{SiteBuilder.Esc($"{output["ename"]?.GetValue<string>()}: {output["evalue"]?.GetValue<string>()}")}</pre>";
            case "execute_result" or "display_data" when output["data"] is JsonObject data:
                return Rich(cell, data, k);
            default:
                return "";
        }
    }

    string Rich(NotebookCell cell, JsonObject data, int k)
    {
        foreach (var (mime, ext) in new[] { ("image/png", "png"), ("image/jpeg", "jpg"), ("image/gif", "gif") })
            if (data[mime] is { } b64)
            {
                byte[] bytes;
                try { bytes = Convert.FromBase64String(Joined(b64).Trim()); }
                catch (FormatException) { throw new UsageException($"{notebook.Path} cell {cell.Number}: output {k} has {mime} that is not base64."); }
                Images++;
                var url = assets.Write($"{_stem}-cell{cell.Number}-{k}.{ext}", bytes);
                return $"<figure class=\"output\"><img src=\"{url}\" alt=\"output {k} of cell {cell.Number}\" loading=\"lazy\"></figure>";
            }
        if (data["image/svg+xml"] is { } svg)
        {
            Images++;
            var url = assets.Write($"{_stem}-cell{cell.Number}-{k}.svg", Encoding.UTF8.GetBytes(Joined(svg)));
            return $"<figure class=\"output\"><img src=\"{url}\" alt=\"output {k} of cell {cell.Number}\" loading=\"lazy\"></figure>";
        }
        if (data["text/html"] is { } html)
            return $"<div class=\"output html\">{Scripts().Replace(Joined(html), "")}</div>";
        if (data["text/markdown"] is { } md)
            return $"<div class=\"output markdown\">{SiteBuilder.InNotebook(notebook, cell, () => markdown.ToHtml(Joined(md), _folder))}</div>";
        if (data["text/plain"] is { } text)
            return $"<pre class=\"output\">{SiteBuilder.Esc(Ansi().Replace(Joined(text), ""))}</pre>";
        return "";
    }

    /// <summary>nbformat multiline strings: a string or a list of lines.</summary>
    static string Joined(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    // Scripts (e.g. an interactive chart's loader from a CDN) would fail offline; the chart's PNG is shown instead.
    [GeneratedRegex(@"<script\b[^>]*>[\s\S]*?</script\s*>|<script\b[^>]*/>", RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
