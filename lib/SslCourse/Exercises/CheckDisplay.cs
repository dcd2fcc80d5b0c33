using System.Net;
using Microsoft.DotNet.Interactive.Formatting;

namespace SslCourse.Exercises;

/// <summary>How a <see cref="CheckResult"/> shows in a notebook: one coloured line (text/html) and the plain message
/// (text/plain). <see cref="Course.Setup"/> calls <see cref="Register"/>.</summary>
public static class CheckDisplay
{
    static bool _registered;

    /// <summary>Registers the formatters once per process.</summary>
    public static void Register()
    {
        if (_registered) return;
        _registered = true;
        Formatter.Register<CheckResult>((r, w) => w.Write(Html(r)), "text/html");
        Formatter.Register<CheckResult>((r, w) => w.Write(r.Message), "text/plain");
        Formatter.SetPreferredMimeTypesFor(typeof(CheckResult), "text/html", "text/plain");
    }

    /// <summary>The one-line HTML form: green for a pass, red for a failure.</summary>
    public static string Html(CheckResult r) =>
        $"<div style=\"font-family: monospace; padding: 2px 6px; border-left: 4px solid {(r.Passed ? "#2e7d32" : "#c62828")}; color: {(r.Passed ? "#2e7d32" : "#c62828")}\">{WebUtility.HtmlEncode(r.Message)}</div>";
}
