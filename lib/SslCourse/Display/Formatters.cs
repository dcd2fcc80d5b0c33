using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using SslCourse.Evaluation;

namespace SslCourse.Display;

/// <summary>
/// Registers how the course's display types appear in a notebook (the setup cell calls <see cref="Register"/>):
/// <list type="bullet">
/// <item>pictures (<see cref="IPngRenderable"/>: <see cref="ImageGrid"/>, <see cref="Chart"/>, <see cref="Figure"/>,
/// <see cref="PointCloudView"/>) as image/png, which every front end and GitHub show;</item>
/// <item><see cref="Table"/> and Microsoft.Data.Analysis <see cref="DataFrame"/> as text/html plus text/plain;</item>
/// <item><see cref="InteractiveChart"/> as text/html (plotly.js, with the picture inside) plus image/png;</item>
/// <item><see cref="Audio"/> as text/html (an audio player) plus text/plain;</item>
/// <item><see cref="Claim"/> as text/html (a green or red verdict), text/plain and its JSON under
/// <see cref="Claim.MimeType"/>, which <c>ssl-course run</c> collects.</item>
/// </list>
/// A front end picks the richest type it can show; the others stay in the saved notebook for the rest.
/// </summary>
public static class Formatters
{
    static readonly object Gate = new();

    /// <summary>True when the formatters are in place (a kernel may reset .NET Interactive's formatters).</summary>
    public static bool IsRegistered => Formatter.GetPreferredMimeTypesFor(typeof(Chart)).Contains("image/png");

    /// <summary>Registers the formatters (again only if something reset them since).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (IsRegistered) return;
            Png<IPngRenderable>();
            Png<ImageGrid>();
            Png<Chart>();
            Png<Figure>();
            Png<PointCloudView>();

            Formatter.Register<Table>((t, w) => w.Write(t.ToHtml()), "text/html");
            Formatter.Register<Table>((t, w) => w.Write(t.ToText()), "text/plain");
            Formatter.SetPreferredMimeTypesFor(typeof(Table), "text/html", "text/plain");

            Formatter.Register<DataFrame>((f, w) => w.Write(Table.From(f).ToHtml()), "text/html");
            Formatter.Register<DataFrame>((f, w) => w.Write(Table.From(f).ToText()), "text/plain");
            Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), "text/html", "text/plain");

            // The PNG is rendered once per display: the formatter of each MIME type runs separately.
            Formatter.Register<InteractiveChart>((c, w) => w.Write(c.ToHtml(Base64Png(c))), "text/html");
            Formatter.Register<InteractiveChart>((c, w) => w.Write(Base64Png(c)), "image/png");
            Formatter.SetPreferredMimeTypesFor(typeof(InteractiveChart), "text/html", "image/png");

            Formatter.Register<Audio>((a, w) => w.Write(a.ToHtml()), "text/html");
            Formatter.Register<Audio>((a, w) => w.Write(a.ToString()), "text/plain");
            Formatter.SetPreferredMimeTypesFor(typeof(Audio), "text/html", "text/plain");

            Formatter.Register<Claim>((c, w) => w.Write(ClaimHtml(c)), "text/html");
            Formatter.Register<Claim>((c, w) => w.Write(c.ToString()), "text/plain");
            Formatter.Register<Claim>((c, w) => w.Write(c.ToJson()), Claim.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(Claim), "text/html", "text/plain", Claim.MimeType);
        }
    }

    /// <summary>A claim's verdict as a block: green when the run shows it, red when it does not.</summary>
    public static string ClaimHtml(Claim c) => VerdictHtml(c.Holds, c.ToString());

    /// <summary>One line of verdict, the form that claims and checks share: <paramref name="text"/> (HTML-encoded) in
    /// monospace with a bar on the left, green when <paramref name="passed"/>, red otherwise.</summary>
    public static string VerdictHtml(bool passed, string text)
    {
        var colour = passed ? "#2e7d32" : "#c62828";
        return $"<div style=\"font-family: monospace; padding: 2px 6px; border-left: 4px solid {colour}; color: {colour}\">{System.Net.WebUtility.HtmlEncode(text)}</div>";
    }

    static void Png<T>() where T : IPngRenderable
    {
        Formatter.Register<T>((value, writer) => writer.Write(Convert.ToBase64String(value.ToPng())), "image/png");
        Formatter.SetPreferredMimeTypesFor(typeof(T), "image/png");
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<InteractiveChart, string> PngCache = new();

    static string Base64Png(InteractiveChart chart) => PngCache.GetValue(chart, c => Convert.ToBase64String(c.ToPng()));
}
