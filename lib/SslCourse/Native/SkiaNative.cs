using System.Reflection;
using System.Runtime.InteropServices;

namespace SslCourse.Native;

/// <summary>
/// Lets SkiaSharp and HarfBuzzSharp (used by ScottPlot and for captions) find their native libraries when the library
/// is loaded by a notebook kernel that puts assemblies in a load context of its own (the Jupyter kernel tool and
/// dotnet-repl do): such a context never looks under <c>runtimes/&lt;rid&gt;/native/</c>, so drawing a chart would fail
/// with <c>DllNotFoundException: libSkiaSharp</c>. A resolver looks there (and next to the assembly) first.
/// </summary>
public static class SkiaNative
{
    static int _registered;

    /// <summary>Registers the resolvers once per process (a no-op when another resolver is already in place).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Resolve(typeof(SkiaSharp.SKImageInfo).Assembly, "libSkiaSharp");
        Resolve(typeof(HarfBuzzSharp.Buffer).Assembly, "libHarfBuzzSharp");
    }

    static void Resolve(Assembly assembly, string library)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, asm, _) =>
            {
                if (!name.Contains(library, StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
                foreach (var path in Candidates(asm, library))
                    if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
                return IntPtr.Zero; // fall back to the runtime's own search
            });
        }
        catch (InvalidOperationException) { /* a resolver is already set for this assembly: leave it */ }
    }

    static IEnumerable<string> Candidates(Assembly assembly, string library)
    {
        var (rids, file) = OperatingSystem.IsWindows() ? (new[] { "win-x64", "win-arm64" }, library[3..] + ".dll")
            : OperatingSystem.IsMacOS() ? (new[] { "osx", "osx-arm64" }, library + ".dylib")
            : (new[] { RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64" }, library + ".so");
        var dirs = new[] { Path.GetDirectoryName(assembly.Location), Path.GetDirectoryName(typeof(SkiaNative).Assembly.Location), AppContext.BaseDirectory }
            .Where(d => !string.IsNullOrEmpty(d)).Distinct();
        foreach (var dir in dirs)
        {
            foreach (var rid in rids) yield return Path.Combine(dir!, "runtimes", rid, "native", file);
            yield return Path.Combine(dir!, file);
        }
    }
}
