using System.Reflection;
using SslCourse.Native;
using TorchSharp;

namespace SslCourse;

/// <summary>How much compute a notebook may spend: <c>Smoke</c> for tests (seconds), <c>Full</c> for people (minutes).</summary>
public enum Budget { Smoke, Full }

/// <summary>
/// The course's entry point: loads TorchSharp on every supported machine, seeds, picks the device and thread count,
/// and tells notebook code its budget. Every notebook's first cell calls <see cref="Setup"/>; the CLI and the tests
/// call <see cref="Init"/> before any <c>torch.*</c> use.
/// </summary>
public static class Course
{
    static readonly object Gate = new();
    static bool _initialised;

    /// <summary>The library's version.</summary>
    public static string Version { get; } =
        typeof(Course).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The backend the library was built for ("cpu" or "cuda"; the MSBuild property <c>SslCourseBackend</c>).</summary>
    public static string Backend { get; } =
        typeof(Course).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SslCourseBackend")?.Value ?? "cpu";

    /// <summary>The budget from <c>SSL_COURSE_BUDGET</c> (smoke | full); <c>Full</c> when unset.</summary>
    /// <exception cref="ArgumentException">The variable holds anything else.</exception>
    public static Budget Budget => ParseBudget(Environment.GetEnvironmentVariable("SSL_COURSE_BUDGET"));

    /// <summary>True in the smoke budget (tests).</summary>
    public static bool IsSmoke => Budget == Budget.Smoke;

    /// <summary>Parses a budget name; null or empty means <c>Full</c>.</summary>
    public static Budget ParseBudget(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "full" => Budget.Full,
        "smoke" => Budget.Smoke,
        _ => throw new ArgumentException($"budget '{value}' is not known: expected 'smoke' or 'full' (SSL_COURSE_BUDGET or --budget)."),
    };

    /// <summary>Picks the value for the current budget.</summary>
    public static T ByBudget<T>(T smoke, T full) => IsSmoke ? smoke : full;

    /// <summary>The seed given to the last <see cref="Init"/> call.</summary>
    public static int Seed { get; private set; }

    /// <summary>The device tensors and models should use: CUDA when built for it and available, else CPU
    /// (<c>SSL_COURSE_DEVICE=cpu</c> forces the CPU).</summary>
    public static torch.Device Device { get; private set; } = null!;

    /// <summary>Tunes glibc's allocator for libtorch (<see cref="NativeAllocator"/>), loads TorchSharp
    /// (see <see cref="TorchLoader"/>), sets the thread count and seeds torch.
    /// Safe to call more than once; each call reseeds.</summary>
    /// <param name="seed">Seed for torch's global generator.</param>
    /// <param name="threads">Intra-op threads; default <c>SSL_COURSE_THREADS</c> or the number of cores (at most 8).</param>
    public static void Init(int seed = 0, int? threads = null)
    {
        lock (Gate)
        {
            if (!_initialised)
            {
                NativeAllocator.Tune();
                TorchLoader.Load();
                if (Backend == "cuda") torch.InitializeDeviceType(DeviceType.CUDA);
                int n = threads
                        ?? (int.TryParse(Environment.GetEnvironmentVariable("SSL_COURSE_THREADS"), out var t) && t > 0 ? t : Math.Min(Environment.ProcessorCount, 8));
                torch.set_num_threads(n);
                bool forceCpu = string.Equals(Environment.GetEnvironmentVariable("SSL_COURSE_DEVICE"), "cpu", StringComparison.OrdinalIgnoreCase);
                Device = !forceCpu && torch.cuda.is_available() ? torch.CUDA : torch.CPU;
                // The loops report to the interface; the live display (notebook, terminal or log) is its adapter.
                Training.TrainingProgress.Start ??= (title, steps) => Display.LiveProgress.Start(title, steps);
                _initialised = true;
            }
            else if (threads is int n) torch.set_num_threads(n);
            Reseed(seed);
        }
    }

    /// <summary>Seeds torch's global generator (and CUDA's) so that runs repeat.</summary>
    public static void Reseed(int seed)
    {
        Seed = seed;
        torch.manual_seed(seed);
        if (Device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>A new torch generator seeded with <paramref name="seed"/> (on the CPU), for per-call randomness.</summary>
    public static torch.Generator Generator(long seed) => new torch.Generator((ulong)seed);

    /// <summary>One line describing the environment: library, TorchSharp and libtorch versions, device, threads, budget, seed.</summary>
    public static string Describe()
    {
        var ts = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        return $"SslCourse {Version} | TorchSharp {ts} (libtorch {torch.__version__}) | device {Device.type.ToString().ToLowerInvariant()} | {torch.get_num_threads()} threads{(NativeAllocator.IsTuned ? "" : " (system malloc)")} | budget {Budget.ToString().ToLowerInvariant()} | seed {Seed}";
    }

    /// <summary>The notebooks' setup: <see cref="Init"/>, registers the display formatters, prints <see cref="Describe"/>.</summary>
    public static void Setup(int seed = 0)
    {
        Init(seed);
        SkiaNative.Register();
        Display.Formatters.Register();
        Display.CheckDisplay.Register();
        Console.WriteLine(Describe());
    }

    /// <summary>The course's <c>data/</c> folder: <c>SSL_COURSE_DATA</c>, else the first <c>data</c> folder holding
    /// <c>PROVENANCE.md</c> found walking up from the working directory or from the library's location.</summary>
    public static string DataDir
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SSL_COURSE_DATA") is { Length: > 0 } d) return d;
            foreach (var start in new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(typeof(Course).Assembly.Location) ?? "" })
            {
                for (var dir = start; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    var candidate = Path.Combine(dir, "data");
                    if (File.Exists(Path.Combine(candidate, "PROVENANCE.md"))) return candidate;
                }
            }
            throw new DirectoryNotFoundException("the course's data/ folder was not found above the working directory or the library; set SSL_COURSE_DATA to it.");
        }
    }
}
