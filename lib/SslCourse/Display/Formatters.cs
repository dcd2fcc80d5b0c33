using Microsoft.DotNet.Interactive.Formatting;

namespace SslCourse.Display;

/// <summary>Registers how the course's display types appear in a notebook (the setup cell calls <see cref="Register"/>).</summary>
public static class Formatters
{
    static bool _registered;

    /// <summary>Registers the formatters once per process.</summary>
    public static void Register()
    {
        if (_registered) return;
        _registered = true;
        Formatter.Register<IPngRenderable>((value, writer) => writer.Write(Convert.ToBase64String(value.ToPng())), "image/png");
        Formatter.SetPreferredMimeTypesFor(typeof(IPngRenderable), "image/png");
        Formatter.Register<ImageGrid>((value, writer) => writer.Write(Convert.ToBase64String(value.ToPng())), "image/png");
        Formatter.SetPreferredMimeTypesFor(typeof(ImageGrid), "image/png");
    }
}
