using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>Labelled fixed-length passages for a downstream task.</summary>
/// <param name="Tokens">The passages. <c>[N, T]</c> int64.</param>
/// <param name="Labels">The class of each. <c>[N]</c> int64.</param>
/// <param name="ClassNames">Name of each class index.</param>
public sealed record LabelledPassages(Tensor Tokens, Tensor Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Number of passages.</summary>
    public long Count => Tokens.shape[0];

    /// <summary>Passages per class.</summary>
    public long[] CountPerClass()
    {
        var counts = new long[ClassNames.Count];
        foreach (var l in Labels.data<long>()) counts[l]++;
        return counts;
    }

    /// <summary>The rows at <paramref name="index"/> (a new tensor pair). <c>[K] -> K passages</c>.</summary>
    public LabelledPassages Select(Tensor index) => new(Tokens.index_select(0, index), Labels.index_select(0, index), ClassNames);

    /// <summary>
    /// A class-balanced sample: <paramref name="perClass"/> passages of every class drawn without replacement
    /// (fewer where a class has fewer), in random order, from <paramref name="generator"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">perClass is below 1.</exception>
    public LabelledPassages SamplePerClass(int perClass, Generator generator)
    {
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "perClass must be at least 1.");
        using var scope = NewDisposeScope();
        var order = randperm(Count, generator: generator).data<long>().ToArray();
        var labels = Labels.data<long>().ToArray();
        var taken = new int[ClassNames.Count];
        var chosen = new List<long>();
        foreach (var i in order)
            if (taken[labels[i]] < perClass) { taken[labels[i]]++; chosen.Add(i); }
        var index = tensor(chosen.ToArray(), dtype: ScalarType.Int64);
        var sub = Select(index);
        sub.Tokens.MoveToOuterDisposeScope();
        sub.Labels.MoveToOuterDisposeScope();
        return sub;
    }
}

/// <summary>Builds labelled passages from a corpus: which part of the corpus does a passage come from?</summary>
public static class Passages
{
    /// <summary>
    /// Cuts the running text of every book into consecutive, non-overlapping windows of <paramref name="length"/>
    /// tokens (a window never spans two books) and labels each with <paramref name="labelOf"/>(book).
    /// </summary>
    /// <param name="corpus">The verses to cut.</param>
    /// <param name="tokenizer">Turns a book's text into ids.</param>
    /// <param name="length">Tokens per passage, at least 1.</param>
    /// <param name="labelOf">Class index of a book (e.g. <see cref="KjvBooks.SectionIndex"/>).</param>
    /// <param name="classNames">Names of the classes (e.g. <see cref="KjvBooks.Sections"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">length is below 1 or a label is outside the classes.</exception>
    public static LabelledPassages FromBooks(TextCorpus corpus, ITextTokenizer tokenizer, int length, Func<string, int> labelOf, IReadOnlyList<string> classNames)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be at least 1.");
        var rows = new List<long>();
        var labels = new List<long>();
        foreach (var book in corpus.Books)
        {
            int label = labelOf(book);
            if (label < 0 || label >= classNames.Count)
                throw new ArgumentOutOfRangeException(nameof(labelOf), label, $"book '{book}' got label {label}, outside 0..{classNames.Count - 1}.");
            var ids = tokenizer.Encode(corpus.Book(book).Text());
            for (int start = 0; start + length <= ids.Length; start += length)
            {
                for (int i = 0; i < length; i++) rows.Add(ids[start + i]);
                labels.Add(label);
            }
        }
        if (labels.Count == 0) throw new ArgumentException($"no book is at least {length} tokens long.", nameof(corpus));
        return new LabelledPassages(tensor(rows.ToArray(), dtype: ScalarType.Int64).reshape(labels.Count, length),
            tensor(labels.ToArray(), dtype: ScalarType.Int64), classNames);
    }
}
