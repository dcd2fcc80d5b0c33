using static TorchSharp.torch;

namespace SslCourse.Models;

/// <summary>
/// Seeded initialisation of the modules a library function builds. TorchSharp's layers draw their initial weights from
/// torch's global generator and take no generator of their own, so the function seeds the global generator while it
/// builds, and puts the caller's generator state back when the scope ends: the same seed builds the same weights, and
/// the caller's own random stream goes on as if the library had drawn nothing.
/// <code>using (SeededInit.Scope(options.Seed)) head = new LinearClassifier(dim, classes);</code>
/// </summary>
public sealed class SeededInit : IDisposable
{
    readonly Tensor saved;
    bool disposed;

    SeededInit(long seed)
    {
        saved = random.get_rng_state().DetachFromDisposeScope();   // the CPU generator's state: modules are built on the CPU
        random.manual_seed(seed);
    }

    /// <summary>Seeds the global generator with <paramref name="seed"/> until disposed.</summary>
    public static SeededInit Scope(long seed) => new(seed);

    /// <summary>Builds <paramref name="build"/>'s modules from <paramref name="seed"/> and restores the global generator.</summary>
    public static T Build<T>(long seed, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var scope = Scope(seed);
        return build();
    }

    /// <summary>Puts the caller's generator state back.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        random.set_rng_state(saved);
        saved.Dispose();
    }
}
