namespace SslCourse.AudioVideo;

/// <summary>
/// A counter-based random stream (SplitMix64) keyed by (seed, index, stream), so that clip <c>index</c> of a data set
/// is the same whatever order or batch it is generated in. Used only inside the procedural generators; everything a
/// training loop draws comes from a seeded <c>torch.Generator</c>.
/// </summary>
internal struct ClipRandom
{
    ulong _state;

    public ClipRandom(int seed, long index, int stream = 0)
    {
        _state = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Mix((ulong)index + 0x632BE59BD9B4E019UL) ^ ((ulong)(uint)stream << 48));
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Uniform() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * Uniform();

    /// <summary>Uniform integer in [0, n).</summary>
    public int Int(int n) => (int)(Uniform() * n);

    /// <summary>Standard normal (Box-Muller).</summary>
    public double Normal()
    {
        double u1 = 1.0 - Uniform(), u2 = Uniform();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
