namespace SslCourse.Shapes;

/// <summary>
/// How well a decomposition into pieces agrees with the true parts of a shape, as pretext labels:
/// purity (does each piece stay inside one part?), and the pair view the point-pair loss sees: of the pairs it
/// pulls together (same piece), the fraction that share a part (precision), and of the pairs that share a part,
/// the fraction it pulls together (recall; low when a part such as "legs" is several convex pieces).
/// </summary>
public static class PieceAgreement
{
    /// <summary>Fraction of points whose piece's most common part is their own part.</summary>
    public static double Purity(IReadOnlyList<int> pieces, IReadOnlyList<int> parts)
    {
        Check(pieces, parts);
        int agree = 0;
        foreach (var group in Enumerable.Range(0, pieces.Count).GroupBy(i => pieces[i]))
            agree += group.GroupBy(i => parts[i]).Max(g => g.Count());
        return pieces.Count == 0 ? 1 : (double)agree / pieces.Count;
    }

    /// <summary>Pair precision and recall over all unordered pairs of distinct points (1 where a denominator is 0).</summary>
    public static (double Precision, double Recall) Pairs(IReadOnlyList<int> pieces, IReadOnlyList<int> parts)
    {
        Check(pieces, parts);
        // Counting by contingency table: pairs in a cell (piece, part) are both together and alike.
        long Pairs(long c) => c * (c - 1) / 2;
        var cells = Enumerable.Range(0, pieces.Count).GroupBy(i => (pieces[i], parts[i])).Sum(g => Pairs(g.Count()));
        var samePiece = Enumerable.Range(0, pieces.Count).GroupBy(i => pieces[i]).Sum(g => Pairs(g.Count()));
        var samePart = Enumerable.Range(0, pieces.Count).GroupBy(i => parts[i]).Sum(g => Pairs(g.Count()));
        return (samePiece == 0 ? 1 : (double)cells / samePiece, samePart == 0 ? 1 : (double)cells / samePart);
    }

    static void Check(IReadOnlyList<int> pieces, IReadOnlyList<int> parts)
    {
        if (pieces.Count != parts.Count)
            throw new ArgumentException($"pieces has {pieces.Count} labels, parts {parts.Count}.", nameof(pieces));
    }
}
