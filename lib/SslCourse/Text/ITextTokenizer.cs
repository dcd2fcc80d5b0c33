namespace SslCourse.Text;

/// <summary>Turns text into token ids and back. Ids run from 0 to <see cref="VocabSize"/> - 1.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of distinct ids.</summary>
    int VocabSize { get; }

    /// <summary>The ids of <paramref name="text"/>, in order.</summary>
    int[] Encode(string text);

    /// <summary>The text of a sequence of ids (the inverse of <see cref="Encode"/> for text the tokenizer covers).</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>The text one id stands for (for tables of next-token probabilities).</summary>
    string TokenText(int id);
}
