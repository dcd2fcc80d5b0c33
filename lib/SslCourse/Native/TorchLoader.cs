using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SslCourse.Native;

/// <summary>Thrown when TorchSharp's native libraries cannot be loaded on this machine; the message says why in one line.</summary>
public sealed class TorchLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Makes TorchSharp's native libraries load on the machines the course supports, before the first <c>torch.*</c> call.
/// <list type="bullet">
/// <item>libtorch (<c>libc10.so</c>, <c>libtorch_cpu.so</c>, <c>libtorch.so</c>) is loaded by full path from the
/// libtorch package, so a system libtorch (Debian's <c>libtorch1.13</c>) is never picked up by name.</item>
/// <item>When <c>libLibTorchSharp.so</c> needs a GLIBCXX version that the system's libstdc++ lacks (Debian 12 stops at
/// 3.4.30; TorchSharp 0.107.0 asks for 3.4.32 for one symbol it never calls), a copy with that need marked weak is
/// written to a per-user cache keyed by the file's SHA-256 and loaded instead; the cached copy's own SHA-256 is checked
/// against a fresh patch on every load, so a replaced file (even of the same length) is rewritten, never loaded. Nothing in bin/ or the NuGet cache
/// is changed; the copy is written to a temporary file and renamed into place, so concurrent processes are safe.</item>
/// </list>
/// </summary>
public static class TorchLoader
{
    static readonly object Gate = new();
    static string? _report;

    /// <summary>What the loader did, in one line (null before <see cref="Load"/>).</summary>
    public static string? Report => _report;

    /// <summary>Loads the native libraries once per process; later calls return at once.</summary>
    /// <exception cref="TorchLoadException">The libraries cannot be loaded here; the message says why.</exception>
    public static void Load()
    {
        lock (Gate)
        {
            if (_report != null) return;
            _report = OperatingSystem.IsLinux() ? LoadLinux() : "TorchSharp loads its own native libraries on this OS";
        }
    }

    /// <summary>Writes the verified patched copy of <c>libLibTorchSharp.so</c> into <see cref="CacheRoot"/> when this
    /// machine needs one, without loading anything (the grader calls it before it mounts the cache read-only in its
    /// sandboxes); returns what it did.</summary>
    /// <exception cref="TorchLoadException">The libraries are not found or the cache cannot be written.</exception>
    public static string PrepareCache()
    {
        if (!OperatingSystem.IsLinux()) return "no native cache on this OS";
        var torchSharpNative = FindTorchSharpNative()
            ?? throw new TorchLoadException("libLibTorchSharp.so was not found next to TorchSharp.dll nor in the NuGet package cache; run `dotnet build` of the course first.");
        byte[] image = File.ReadAllBytes(torchSharpNative);
        var missing = MissingVersions(image, torchSharpNative);
        return missing.Count == 0 ? "no patch needed" : $"patched copy at {PatchedCopy(image, missing)}";
    }

    static string LoadLinux()
    {
        var torchSharpNative = FindTorchSharpNative()
            ?? throw new TorchLoadException("libLibTorchSharp.so was not found next to TorchSharp.dll nor in the NuGet package cache; run `dotnet build` of the course first.");
        var libtorch = FindLibTorch(torchSharpNative)
            ?? throw new TorchLoadException("libtorch (libtorch_cpu.so) was not found next to TorchSharp.dll nor in the NuGet cache (package libtorch-cpu-linux-x64 " + LibTorchVersion + "); run `dotnet build` of the course first.");

        byte[] image = File.ReadAllBytes(torchSharpNative);
        ushort machine = ElfVersionNeeds.Machine(image, torchSharpNative);
        if (machine != ElfVersionNeeds.MachineX86_64 || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new TorchLoadException($"TorchSharp's Linux libraries are built for {ElfVersionNeeds.MachineName(machine)} but this process runs on {RuntimeInformation.ProcessArchitecture}; the course needs an x86-64 Linux machine (or Windows x64 / macOS arm64).");

        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
        {
            var path = Path.Combine(libtorch, name);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (Exception e) { throw new TorchLoadException($"{path} failed to load: {FirstLine(e.Message)}", e); }
        }

        var missing = MissingVersions(image, torchSharpNative);
        string toLoad = torchSharpNative;
        string patchNote = "no patch needed";
        if (missing.Count > 0)
        {
            toLoad = PatchedCopy(image, missing);
            patchNote = $"{string.Join(", ", missing.Select(m => m.Name).Distinct())} marked weak in {toLoad}";
        }
        try { NativeLibrary.Load(toLoad); }
        catch (Exception e) { throw new TorchLoadException($"{toLoad} failed to load: {FirstLine(e.Message)}", e); }
        return $"libtorch from {libtorch}; LibTorchSharp: {patchNote}";
    }

    /// <summary>The libtorch version the library is built against.</summary>
    public const string LibTorchVersion = "2.10.0";

    static string FirstLine(string s) => s.Split('\n')[0].Trim();

    static IEnumerable<string> NativeDirsNear(string dir)
    {
        yield return Path.Combine(dir, "runtimes", "linux-x64", "native");
        yield return dir;
    }

    static string NuGetRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    static string? FindTorchSharpNative()
    {
        var asm = typeof(TorchSharp.torch).Assembly;
        var dirs = new List<string>();
        if (!string.IsNullOrEmpty(asm.Location)) dirs.AddRange(NativeDirsNear(Path.GetDirectoryName(asm.Location)!));
        dirs.AddRange(NativeDirsNear(AppContext.BaseDirectory));
        var version = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                      ?? asm.GetName().Version?.ToString(3) ?? "0.107.0";
        dirs.Add(Path.Combine(NuGetRoot(), "torchsharp", version, "runtimes", "linux-x64", "native"));
        return dirs.Select(d => Path.Combine(d, "libLibTorchSharp.so")).FirstOrDefault(File.Exists);
    }

    static string? FindLibTorch(string torchSharpNative)
    {
        var dirs = new List<string> { Path.GetDirectoryName(torchSharpNative)! };
        var asm = typeof(TorchSharp.torch).Assembly;
        if (!string.IsNullOrEmpty(asm.Location)) dirs.AddRange(NativeDirsNear(Path.GetDirectoryName(asm.Location)!));
        dirs.AddRange(NativeDirsNear(AppContext.BaseDirectory));
        foreach (var package in new[] { "libtorch-cuda-12.8-linux-x64", "libtorch-cpu-linux-x64" })
            dirs.Add(Path.Combine(NuGetRoot(), package, LibTorchVersion, "runtimes", "linux-x64", "native"));
        return dirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")));
    }

    /// <summary>The version needs on libstdc++ that the system's libstdc++ does not provide.</summary>
    static List<ElfVersionNeed> MissingVersions(byte[] image, string file)
    {
        var needs = ElfVersionNeeds.Read(image, file).Where(n => n.File.StartsWith("libstdc++", StringComparison.Ordinal) && !n.IsWeak).ToList();
        if (needs.Count == 0) return needs;
        var stdcxx = SystemLibStdCxx();
        if (stdcxx == null) return []; // cannot tell: let the loader decide and report its own error
        var provided = ProvidedVersions(stdcxx);
        return needs.Where(n => !provided.Contains(n.Name)).ToList();
    }

    static string? SystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int at = line.IndexOf('/');
                if (at >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal)) return line[at..].Trim();
            }
        }
        catch (IOException) { }
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib"]);
        return dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    static HashSet<string> ProvidedVersions(string libstdcxx)
    {
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(libstdcxx));
        return Regex.Matches(text, @"(GLIBCXX|CXXABI)_\d+(\.\d+)*").Select(m => m.Value).ToHashSet();
    }

    /// <summary>The per-user folder where patched copies of native libraries are kept.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("SSL_COURSE_CACHE") is { Length: > 0 } c ? c
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "ssl-course");

    static bool HashMatches(string file, byte[] expected)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(stream), expected);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Writes (once) a copy of the library with <paramref name="missing"/> marked weak; returns its path.</summary>
    static string PatchedCopy(byte[] image, IReadOnlyList<ElfVersionNeed> missing)
    {
        string hash = Convert.ToHexString(SHA256.HashData(image))[..16].ToLowerInvariant();
        string dir = Path.Combine(CacheRoot, "native", hash);
        string target = Path.Combine(dir, "libLibTorchSharp.so");
        var patched = (byte[])image.Clone();
        ElfVersionNeeds.MarkWeak(patched, missing);
        // The cached copy is trusted only when its SHA-256 is that of the copy made here (checked on every load: a
        // same-length replacement written by another program is not loaded).
        var expected = SHA256.HashData(patched);
        if (File.Exists(target) && HashMatches(target, expected)) return target;
        try
        {
            Directory.CreateDirectory(dir);
            string temp = Path.Combine(dir, $".libLibTorchSharp.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temp, patched);
            File.Move(temp, target, overwrite: true); // atomic rename: a reader sees the old file or the whole new one
            if (!HashMatches(target, expected)) throw new IOException($"{target} changed while it was written");
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorchLoadException($"cannot write the patched copy of libLibTorchSharp.so under {dir}: {e.Message} (set SSL_COURSE_CACHE to a writable folder)", e);
        }
    }
}
