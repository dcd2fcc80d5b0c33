using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>
/// Character-level tokenizer: one id per distinct character of a corpus, plus two special ids that never occur in
/// text: <see cref="MaskId"/> (0, the [mask] of masked language modelling) and <see cref="UnknownId"/> (1, any
/// character the corpus did not contain). Characters get ids 2, 3, ... in ordinal order, so the vocabulary does
/// not depend on the order of the text.
/// </summary>
public sealed class CharTokenizer : ITextTokenizer
{
    /// <summary>The id of the [mask] token.</summary>
    public const int MaskId = 0;

    /// <summary>The id of characters outside the vocabulary.</summary>
    public const int UnknownId = 1;

    /// <summary>The first id of a real character (ids below it are special).</summary>
    public const int FirstCharacterId = 2;

    /// <summary>How [mask] prints in <see cref="Decode"/> (a character absent from the KJV).</summary>
    public const char MaskGlyph = '_';

    /// <summary>How an unknown character prints in <see cref="Decode"/>.</summary>
    public const char UnknownGlyph = '~';

    readonly char[] _chars;
    readonly Dictionary<char, int> _ids;

    /// <summary>A tokenizer over the given characters (duplicates ignored).</summary>
    /// <exception cref="ArgumentException">No characters are given.</exception>
    public CharTokenizer(IEnumerable<char> alphabet)
    {
        _chars = alphabet.Distinct().OrderBy(c => c, Comparer<char>.Create((a, b) => a.CompareTo(b))).ToArray();
        if (_chars.Length == 0) throw new ArgumentException("the alphabet is empty: a character tokenizer needs at least one character.", nameof(alphabet));
        _ids = new Dictionary<char, int>(_chars.Length);
        for (int i = 0; i < _chars.Length; i++) _ids[_chars[i]] = FirstCharacterId + i;
    }

    /// <summary>The vocabulary of every character that occurs in <paramref name="text"/>.</summary>
    public static CharTokenizer FromText(string text) => new(text);

    /// <summary>The characters in id order (id = index + <see cref="FirstCharacterId"/>).</summary>
    public IReadOnlyList<char> Characters => _chars;

    /// <inheritdoc/>
    public int VocabSize => _chars.Length + FirstCharacterId;

    /// <summary>The ids of <paramref name="text"/>; a character outside the vocabulary becomes <see cref="UnknownId"/>,
    /// except <see cref="MaskGlyph"/> ('_'), which becomes <see cref="MaskId"/> so that "Jacob _____ Rachel" writes a
    /// fill-in-the-blank probe (when '_' is not itself in the vocabulary).</summary>
    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = _ids.TryGetValue(text[i], out int id) ? id : text[i] == MaskGlyph ? MaskId : UnknownId;
        return ids;
    }

    /// <summary>The ids of <paramref name="text"/> as a tensor. <c>-> [L]</c> int64.</summary>
    public Tensor EncodeTensor(string text) => tensor(Encode(text).Select(i => (long)i).ToArray(), dtype: ScalarType.Int64);

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids) => string.Concat(ids.Select(TokenText));

    /// <summary>The text of ids held in a tensor. <c>[L] -> string</c>.</summary>
    public string DecodeTensor(Tensor ids) => Decode(ids.to_type(ScalarType.Int64).data<long>().Select(i => (int)i));

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside 0..VocabSize-1.</exception>
    public string TokenText(int id) => id switch
    {
        MaskId => MaskGlyph.ToString(),
        UnknownId => UnknownGlyph.ToString(),
        _ when id >= FirstCharacterId && id < VocabSize => _chars[id - FirstCharacterId].ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, $"token id must be in 0..{VocabSize - 1}."),
    };
}
