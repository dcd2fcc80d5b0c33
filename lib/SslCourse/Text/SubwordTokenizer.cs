namespace SslCourse.Text;

/// <summary>
/// GPT-2 BPE restricted to the pieces a corpus uses: a small model cannot afford a 50,257-row embedding, and the
/// King James Bible uses only a few thousand GPT-2 pieces. Ids: 0 [mask], 1 unknown (a piece the corpus never used),
/// then the corpus's pieces from most to least frequent (ties by GPT-2 id).
/// </summary>
public sealed class SubwordTokenizer : ITextTokenizer
{
    /// <summary>The id of the [mask] token.</summary>
    public const int MaskId = 0;

    /// <summary>The id of pieces outside the vocabulary.</summary>
    public const int UnknownId = 1;

    /// <summary>The first id of a real piece.</summary>
    public const int FirstPieceId = 2;

    readonly Gpt2Tokenizer _bpe;
    readonly int[] _gpt2Ids;
    readonly Dictionary<int, int> _ids;

    SubwordTokenizer(Gpt2Tokenizer bpe, int[] gpt2Ids)
    {
        _bpe = bpe;
        _gpt2Ids = gpt2Ids;
        _ids = new Dictionary<int, int>(gpt2Ids.Length);
        for (int i = 0; i < gpt2Ids.Length; i++) _ids[gpt2Ids[i]] = FirstPieceId + i;
    }

    /// <summary>The vocabulary of the GPT-2 pieces of <paramref name="text"/>, keeping at most
    /// <paramref name="maxPieces"/> of the most frequent ones (null: all).</summary>
    /// <exception cref="ArgumentOutOfRangeException">maxPieces is below 1.</exception>
    public static SubwordTokenizer FromText(string text, int? maxPieces = null, Gpt2Tokenizer? bpe = null)
    {
        if (maxPieces is < 1) throw new ArgumentOutOfRangeException(nameof(maxPieces), maxPieces, "maxPieces must be at least 1.");
        bpe ??= new Gpt2Tokenizer();
        var counts = new Dictionary<int, int>();
        foreach (var id in bpe.Encode(text)) counts[id] = counts.GetValueOrDefault(id) + 1;
        var order = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key);
        if (maxPieces is int m) order = order.Take(m);
        return new SubwordTokenizer(bpe, order.ToArray());
    }

    /// <summary>The GPT-2 id behind each piece id (index = id - <see cref="FirstPieceId"/>).</summary>
    public IReadOnlyList<int> Gpt2Ids => _gpt2Ids;

    /// <inheritdoc/>
    public int VocabSize => _gpt2Ids.Length + FirstPieceId;

    /// <inheritdoc/>
    public int[] Encode(string text) => _bpe.Encode(text).Select(g => _ids.TryGetValue(g, out int id) ? id : UnknownId).ToArray();

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids) => string.Concat(ids.Select(TokenText));

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside 0..VocabSize-1.</exception>
    public string TokenText(int id) => id switch
    {
        MaskId => " [mask]",
        UnknownId => " [unk]",
        _ when id >= FirstPieceId && id < VocabSize => _bpe.TokenText(_gpt2Ids[id - FirstPieceId]),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, $"token id must be in 0..{VocabSize - 1}."),
    };
}
