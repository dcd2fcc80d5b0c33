using static TorchSharp.torch;

namespace SslCourse.Augment;

/// <summary>
/// The quantised ab colour space of colorization (Zhang, Isola and Efros, ECCV 2016): ab bins on a grid of 10 whose
/// centres (multiples of 10) are reached by some in-gamut sRGB colour; soft-encoding of ground-truth ab onto the 5
/// nearest bins with a Gaussian of sigma 5; the empirical bin prior and the class-rebalancing weights
/// w ∝ ((1 - λ) p̃ + λ / Q)^-1 with λ = 1/2 (p̃ the prior smoothed by a Gaussian of sigma 5), normalised so that
/// the expectation of w under p̃ is 1; annealed-mean decoding with temperature 0.38.
/// The bins are derived here (not copied): every sRGB colour on a grid of 64 levels per channel is converted to Lab
/// (D65) and its ab rounded to the nearest multiple of 10; the bins that occur are kept. This gives Q = 261, not the
/// paper's 313: the sRGB gamut's ab footprint covers 261 cells of side 10 (265 with floor instead of rounding, 233
/// grid points inside its convex hull), so the paper's 313 must come from a wider gamut criterion that it does not
/// spell out. Every method here works for any Q.
/// </summary>
public sealed class AbBins
{
    /// <summary>Grid spacing in ab units (10 in the paper).</summary>
    public int GridSize { get; }
    /// <summary>The bin centres: [Q, 2] float32 (a, b).</summary>
    public Tensor Centres { get; }
    /// <summary>Number of bins Q.</summary>
    public int Count => (int)Centres.shape[0];

    static AbBins? _default;

    /// <summary>The bins for grid 10 derived from a 64-level sRGB grid (computed once).</summary>
    public static AbBins Default => _default ??= Shared(Derive());

    // the cached bins outlive any dispose scope that is open when they are first asked for
    static AbBins Shared(AbBins bins) { bins.Centres.DetachFromDisposeScope(); return bins; }

    AbBins(Tensor centres, int grid) { Centres = centres; GridSize = grid; }

    /// <summary>Derives the in-gamut bins by sampling the sRGB cube with <paramref name="levels"/> levels per channel.</summary>
    public static AbBins Derive(int levels = 64, int grid = 10)
    {
        if (levels < 2 || levels > 256) throw new ArgumentOutOfRangeException(nameof(levels), levels, "levels must lie in 2..256.");
        if (grid < 1) throw new ArgumentOutOfRangeException(nameof(grid), grid, "grid must be positive.");
        using var scope = NewDisposeScope();
        var v = linspace(0, 1, levels);
        var mesh = meshgrid([v, v, v], indexing: "ij");
        var rgb = stack([mesh[0].flatten(), mesh[1].flatten(), mesh[2].flatten()], 0).view(1, 3, -1, 1);   // [1, 3, L^3, 1]
        var lab = Lab.FromRgb(rgb).view(3, -1);                                                              // [3, L^3]
        var q = (lab[1..3] / grid).round().to_type(ScalarType.Int64);                                       // [2, L^3] grid index
        const long offset = 64;                                                                              // grid indices lie well inside -64..63
        var key = (q[0] + offset) * (2 * offset) + (q[1] + offset);
        var present = unique(key).Item1;                                                                     // [Q] sorted keys
        var a = (present.div(2 * offset, RoundingMode.floor) - offset) * grid;
        var b = (present % (2 * offset) - offset) * grid;
        var centres = stack([a, b], 1).to_type(ScalarType.Float32);
        return new AbBins(centres.MoveToOuterDisposeScope(), grid);
    }

    /// <summary>Index of the nearest bin for every pixel: ab [N, 2, H, W] -> [N, H, W] int64.</summary>
    public Tensor Nearest(Tensor ab)
    {
        using var scope = NewDisposeScope();
        var d = Distances(ab);                                                                               // [N, H, W, Q]
        return d.argmin(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Soft-encoding: ab [N, 2, H, W] -> [N, Q, H, W], weights on the <paramref name="neighbours"/> nearest bins
    /// proportional to exp(-d^2 / (2 sigma^2)), summing to 1 per pixel.</summary>
    public Tensor SoftEncode(Tensor ab, int neighbours = 5, double sigma = 5.0)
    {
        if (neighbours < 1 || neighbours > Count) throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"neighbours must lie in 1..{Count}.");
        if (sigma <= 0) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be > 0.");
        using var scope = NewDisposeScope();
        var d = Distances(ab);                                                                               // [N, H, W, Q] squared
        var (near, idx) = d.topk(neighbours, dim: -1, largest: false);                                       // [N, H, W, k]
        var w = (-near / (2 * sigma * sigma)).softmax(-1);                                                   // normalised Gaussian weights
        var encoded = zeros_like(d).scatter_(-1, idx, w);                                                    // [N, H, W, Q]
        return encoded.permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The empirical bin distribution of <paramref name="ab"/> ([N, 2, H, W], every pixel's nearest bin): [Q], sums to 1.</summary>
    public Tensor Prior(Tensor ab)
    {
        using var scope = NewDisposeScope();
        var counts = bincount(Nearest(ab).flatten(), minlength: Count).to_type(ScalarType.Float32);
        return (counts / counts.sum()).MoveToOuterDisposeScope();
    }

    /// <summary>Class-rebalancing weights [Q] from a prior [Q]: smooth it with a Gaussian of sigma (in ab units) over the bin
    /// centres, mix with the uniform distribution by lambda, invert, normalise so that sum(p̃ w) = 1.</summary>
    public Tensor RebalanceWeights(Tensor prior, double lambda = 0.5, double sigma = 5.0)
    {
        if (lambda < 0 || lambda > 1) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must lie in [0, 1].");
        using var scope = NewDisposeScope();
        var d2 = cdist(Centres, Centres).pow(2);                                                             // [Q, Q]
        var kernel = (-d2 / (2 * sigma * sigma)).exp();
        var smooth = kernel.matmul(prior);
        smooth = smooth / smooth.sum();
        var w = ((1 - lambda) * smooth + lambda / Count).reciprocal();
        w = w / (smooth * w).sum();
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>Annealed-mean decoding: probabilities or logits over bins [N, Q, H, W] -> ab [N, 2, H, W] as the mean of
    /// softmax(log p / T); T = 0.38 in the paper (T = 1 is the mean, T -> 0 the mode).</summary>
    public Tensor AnnealedMean(Tensor logits, double temperature = 0.38, bool inputsAreLogits = true)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be > 0.");
        using var scope = NewDisposeScope();
        var logp = inputsAreLogits ? logits.log_softmax(1) : logits.clamp_min(1e-12).log();
        var p = (logp / temperature).softmax(1);                                                             // [N, Q, H, W]
        return einsum("nqhw,qc->nchw", p, Centres.to(p.dtype, p.device)).MoveToOuterDisposeScope();
    }

    Tensor Distances(Tensor ab)
    {
        var x = ab.permute(0, 2, 3, 1).unsqueeze(-2);                                                       // [N, H, W, 1, 2]
        return (x - Centres.to(ab.dtype, ab.device)).pow(2).sum(-1);                                               // [N, H, W, Q]
    }
}
