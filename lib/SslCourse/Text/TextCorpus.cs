using System.IO.Compression;
using System.Text;

namespace SslCourse.Text;

/// <summary>One verse of the corpus: book abbreviation (see <see cref="KjvBooks"/>), chapter, verse number and text.</summary>
public sealed record Verse(string Book, int Chapter, int Number, string Text);

/// <summary>
/// A text corpus kept as verses, so that book boundaries survive (the downstream task asks which part of the corpus a
/// passage comes from). The course's corpus is the King James Bible shipped in <c>data/text/kjv.txt.gz</c>
/// (public domain; see data/PROVENANCE.md, section text/), one verse per line as <c>Ge1:1 In the beginning ...</c>.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The verses in corpus order.</summary>
    public IReadOnlyList<Verse> Verses { get; }

    /// <summary>Creates a corpus from verses (kept in the given order).</summary>
    public TextCorpus(IEnumerable<Verse> verses) => Verses = verses.ToList();

    /// <summary>The path of the shipped corpus: <c>&lt;Course.DataDir&gt;/text/kjv.txt.gz</c>, else the first
    /// <c>data/text/kjv.txt.gz</c> found walking up from the working directory.</summary>
    public static string KjvPath
    {
        get
        {
            try { return Path.Combine(Course.DataDir, "text", "kjv.txt.gz"); }
            catch (DirectoryNotFoundException)
            {
                for (var dir = Directory.GetCurrentDirectory(); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    var candidate = Path.Combine(dir, "data", "text", "kjv.txt.gz");
                    if (File.Exists(candidate)) return candidate;
                }
                throw;
            }
        }
    }

    /// <summary>Reads the King James Bible shipped with the course (decompressing it in memory).</summary>
    /// <param name="path">The gzipped file; default <see cref="KjvPath"/>.</param>
    public static TextCorpus LoadKjv(string? path = null)
    {
        path ??= KjvPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"the corpus file '{path}' does not exist (see data/PROVENANCE.md, section text/).", path);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.ASCII);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return Parse(lines);
    }

    /// <summary>Parses lines of the form <c>&lt;book&gt;&lt;chapter&gt;:&lt;verse&gt; &lt;text&gt;</c> (blank lines skipped).</summary>
    /// <exception cref="FormatException">A line does not have that form; the message quotes it.</exception>
    public static TextCorpus Parse(IEnumerable<string> lines)
    {
        var verses = new List<Verse>();
        int lineNo = 0;
        foreach (var raw in lines)
        {
            lineNo++;
            var line = raw.TrimEnd();
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ');
            int colon = space < 0 ? -1 : line.LastIndexOf(':', space);
            if (space < 0 || colon < 0) throw new FormatException($"line {lineNo} '{Shorten(line)}' is not '<book><chapter>:<verse> <text>'.");
            // The book abbreviation may start with a digit (1Sm, 2Ki): the chapter is the run of digits just before ':'.
            int chapterStart = colon;
            while (chapterStart > 1 && char.IsDigit(line[chapterStart - 1])) chapterStart--;
            if (chapterStart == colon
                || !int.TryParse(line.AsSpan(chapterStart, colon - chapterStart), out int chapter)
                || !int.TryParse(line.AsSpan(colon + 1, space - colon - 1), out int number))
                throw new FormatException($"line {lineNo} '{Shorten(line)}' is not '<book><chapter>:<verse> <text>'.");
            verses.Add(new Verse(line[..chapterStart], chapter, number, line[(space + 1)..]));
        }
        return new TextCorpus(verses);
    }

    static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "...";

    /// <summary>The book abbreviations in order of first appearance.</summary>
    public IReadOnlyList<string> Books => Verses.Select(v => v.Book).Distinct().ToList();

    /// <summary>The verses that satisfy <paramref name="where"/>, as a new corpus.</summary>
    public TextCorpus Where(Func<Verse, bool> where) => new(Verses.Where(where));

    /// <summary>The verses of one book.</summary>
    public TextCorpus Book(string book) => Where(v => v.Book == book);

    /// <summary>The running text: verse texts joined by <paramref name="separator"/> (a space reads as prose).</summary>
    public string Text(string separator = " ") => string.Join(separator, Verses.Select(v => v.Text));

    /// <summary>Number of characters of <see cref="Text"/> with a one-character separator.</summary>
    public long CharacterCount => Verses.Sum(v => (long)v.Text.Length + 1) - (Verses.Count > 0 ? 1 : 0);

    /// <summary>
    /// Splits the corpus by chapter: chapters whose number is a multiple of <paramref name="every"/> go to the
    /// held-out part, the rest to the training part (so held-out passages are never seen in pre-training).
    /// </summary>
    /// <param name="every">Hold out every <paramref name="every"/>-th chapter; at least 2.</param>
    public (TextCorpus Train, TextCorpus HeldOut) SplitByChapter(int every = 5)
    {
        if (every < 2) throw new ArgumentOutOfRangeException(nameof(every), every, "every must be at least 2 (hold out every n-th chapter).");
        return (Where(v => v.Chapter % every != 0), Where(v => v.Chapter % every == 0));
    }
}
