namespace SslCourse.Text;

/// <summary>One book of the King James Bible: the abbreviation Debian's <c>bible</c> program writes, its name,
/// its testament and the traditional section it belongs to.</summary>
public sealed record KjvBook(string Abbreviation, string Name, string Testament, string Section);

/// <summary>
/// The 66 books of the King James Bible in canonical order, with the labels the course's downstream task predicts:
/// the testament (Old/New) and one of six sections (Law, History, Wisdom, Prophets, Gospels and Acts, Letters; the
/// course counts Revelation, which opens as a letter to seven churches, with the Letters).
/// </summary>
public static class KjvBooks
{
    /// <summary>The six sections, in canonical order (the class indices of <see cref="SectionIndex"/>).</summary>
    public static IReadOnlyList<string> Sections { get; } = ["Law", "History", "Wisdom", "Prophets", "Gospels and Acts", "Letters"];

    /// <summary>The two testaments (class indices of <see cref="TestamentIndex"/>).</summary>
    public static IReadOnlyList<string> Testaments { get; } = ["Old", "New"];

    /// <summary>All 66 books in order.</summary>
    public static IReadOnlyList<KjvBook> All { get; } = Build();

    static readonly Dictionary<string, KjvBook> ByAbbreviation = All.ToDictionary(b => b.Abbreviation);

    /// <summary>The book with this abbreviation (as in the corpus file, e.g. "Ge", "1Sm", "Rev").</summary>
    /// <exception cref="ArgumentException">The abbreviation is not one of the 66.</exception>
    public static KjvBook Get(string abbreviation) =>
        ByAbbreviation.TryGetValue(abbreviation, out var b) ? b
            : throw new ArgumentException($"book '{abbreviation}' is not a KJV book abbreviation (e.g. Ge, Psa, Mat).", nameof(abbreviation));

    /// <summary>Index of the book's section in <see cref="Sections"/> (0..5).</summary>
    public static int SectionIndex(string abbreviation) => IndexOf(Sections, Get(abbreviation).Section);

    /// <summary>Index of the book's testament in <see cref="Testaments"/> (0 Old, 1 New).</summary>
    public static int TestamentIndex(string abbreviation) => IndexOf(Testaments, Get(abbreviation).Testament);

    static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        throw new InvalidOperationException(item);
    }

    static List<KjvBook> Build()
    {
        var books = new List<KjvBook>();
        void Add(string testament, string section, params (string Abbr, string Name)[] items)
        {
            foreach (var (a, n) in items) books.Add(new KjvBook(a, n, testament, section));
        }
        Add("Old", "Law", ("Ge", "Genesis"), ("Exo", "Exodus"), ("Lev", "Leviticus"), ("Num", "Numbers"), ("Deu", "Deuteronomy"));
        Add("Old", "History", ("Josh", "Joshua"), ("Jdgs", "Judges"), ("Ruth", "Ruth"), ("1Sm", "1 Samuel"), ("2Sm", "2 Samuel"),
            ("1Ki", "1 Kings"), ("2Ki", "2 Kings"), ("1Chr", "1 Chronicles"), ("2Chr", "2 Chronicles"), ("Ezra", "Ezra"),
            ("Neh", "Nehemiah"), ("Est", "Esther"));
        Add("Old", "Wisdom", ("Job", "Job"), ("Psa", "Psalms"), ("Prv", "Proverbs"), ("Eccl", "Ecclesiastes"), ("SSol", "Song of Solomon"));
        Add("Old", "Prophets", ("Isa", "Isaiah"), ("Jer", "Jeremiah"), ("Lam", "Lamentations"), ("Eze", "Ezekiel"), ("Dan", "Daniel"),
            ("Hos", "Hosea"), ("Joel", "Joel"), ("Amos", "Amos"), ("Obad", "Obadiah"), ("Jonah", "Jonah"), ("Mic", "Micah"),
            ("Nahum", "Nahum"), ("Hab", "Habakkuk"), ("Zep", "Zephaniah"), ("Hag", "Haggai"), ("Zec", "Zechariah"), ("Mal", "Malachi"));
        Add("New", "Gospels and Acts", ("Mat", "Matthew"), ("Mark", "Mark"), ("Luke", "Luke"), ("John", "John"), ("Acts", "Acts"));
        Add("New", "Letters", ("Rom", "Romans"), ("1Cor", "1 Corinthians"), ("2Cor", "2 Corinthians"), ("Gal", "Galatians"),
            ("Eph", "Ephesians"), ("Phi", "Philippians"), ("Col", "Colossians"), ("1Th", "1 Thessalonians"), ("2Th", "2 Thessalonians"),
            ("1Tim", "1 Timothy"), ("2Tim", "2 Timothy"), ("Titus", "Titus"), ("Phmn", "Philemon"), ("Heb", "Hebrews"), ("Jas", "James"),
            ("1Pet", "1 Peter"), ("2Pet", "2 Peter"), ("1Jn", "1 John"), ("2Jn", "2 John"), ("3Jn", "3 John"), ("Jude", "Jude"),
            ("Rev", "Revelation"));
        return books;
    }
}
