using System.Runtime.Intrinsics;

namespace SslCourse.Data;

/// <summary>
/// A small counter-free random number generator whose whole state comes from a hash of (seed, index, stream):
/// the procedural datasets draw every image's randomness from it, so any index is generated on its own,
/// in any order, on any thread, with the same result. (SplitMix64 mixing, Steele, Lea and Flood, OOPSLA 2014.)
/// </summary>
internal struct HashRng
{
    ulong _state;

    public HashRng(long seed, long index, ulong stream = 0)
    {
        _state = Mix((ulong)seed * 0x9E3779B97F4A7C15UL ^ Mix((ulong)index + 0x632BE59BD9B4E019UL) ^ (stream * 0xD1B54A32D192ED03UL));
    }

    /// <summary>SplitMix64's finaliser: a bijective 64-bit hash.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A 32-bit integer hash (lowbias32), used for per-pixel noise.</summary>
    public static uint Hash32(uint x)
    {
        x ^= x >> 16; x *= 0x7FEB352DU;
        x ^= x >> 15; x *= 0x846CA68BU;
        x ^= x >> 16;
        return x;
    }

    /// <summary><see cref="Hash32(uint)"/> of eight values at once (the same bits in every lane).</summary>
    public static Vector256<uint> Hash32(Vector256<uint> x)
    {
        x ^= x >>> 16; x *= 0x7FEB352DU;
        x ^= x >>> 15; x *= 0x846CA68BU;
        x ^= x >>> 16;
        return x;
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float Float() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [lo, hi).</summary>
    public float Range(float lo, float hi) => lo + (hi - lo) * Float();

    /// <summary>Uniform integer in [0, n).</summary>
    public int Int(int n) => (int)((NextULong() >> 33) % (ulong)n);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(float p) => Float() < p;

    /// <summary>Standard normal (Box-Muller).</summary>
    public float Normal()
    {
        float u1 = Math.Max(Float(), 1e-7f), u2 = Float();
        return MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
    }
}
