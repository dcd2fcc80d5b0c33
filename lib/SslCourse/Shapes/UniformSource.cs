using TorchSharp;

namespace SslCourse.Shapes;

/// <summary>
/// Uniform numbers in [0, 1) drawn in blocks from a seeded torch generator, for the geometry code that needs
/// one number at a time (a torch call per number would cost microseconds each). The same seed gives the same
/// sequence on every machine.
/// </summary>
public sealed class UniformSource : IDisposable
{
    const int BlockSize = 4096;
    readonly torch.Generator _generator;
    readonly bool _ownsGenerator;
    double[] _block = Array.Empty<double>();
    int _next;

    /// <summary>A source with its own generator seeded with <paramref name="seed"/>.</summary>
    public UniformSource(long seed) : this(new torch.Generator(unchecked((ulong)seed)), ownsGenerator: true) { }

    /// <summary>A source drawing from <paramref name="generator"/> (not disposed with this source).</summary>
    public UniformSource(torch.Generator generator) : this(generator, ownsGenerator: false) { }

    UniformSource(torch.Generator generator, bool ownsGenerator)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _ownsGenerator = ownsGenerator;
    }

    /// <summary>The seed for item <paramref name="index"/> of a collection seeded with <paramref name="seed"/>
    /// (SplitMix64 of the pair, so neighbouring indices get unrelated streams).</summary>
    public static long Mix(long seed, long index)
    {
        unchecked
        {
            ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & 0x7FFFFFFFFFFFFFFFUL);
        }
    }

    /// <summary>The next number, uniform in [0, 1).</summary>
    public double Next()
    {
        if (_next == _block.Length)
        {
            using var t = torch.rand(BlockSize, dtype: torch.ScalarType.Float64, generator: _generator);
            _block = t.data<double>().ToArray();
            _next = 0;
        }
        return _block[_next++];
    }

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Range(double low, double high) => low + (high - low) * Next();

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int Int(int count) => Math.Min(count - 1, (int)(Next() * count));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => Next() < p;

    /// <summary>A standard normal number (Box-Muller).</summary>
    public double Normal()
    {
        double u = 1.0 - Next(), v = Next();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsGenerator) _generator.Dispose();
    }
}
