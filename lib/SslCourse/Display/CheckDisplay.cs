using Microsoft.DotNet.Interactive.Formatting;
using SslCourse.Exercises;

namespace SslCourse.Display;

/// <summary>How a <see cref="CheckResult"/> shows in a notebook: one coloured line (text/html) and the plain message
/// (text/plain). <see cref="Course.Setup"/> calls <see cref="Register"/>. It lives in <c>Display/</c> because it is the
/// only part of the check API that needs the notebook kernel.</summary>
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

    /// <summary>The one-line HTML form: green for a pass, red for a failure (<see cref="Formatters.VerdictHtml"/>).</summary>
    public static string Html(CheckResult r) => Formatters.VerdictHtml(r.Passed, r.Message);
}
