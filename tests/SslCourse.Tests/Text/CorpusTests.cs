using FluentAssertions;
using SslCourse.Text;
using Xunit;

namespace SslCourse.Tests.Text;

public class CorpusTests
{
    static readonly Lazy<TextCorpus> Kjv = new(() => TextCorpus.LoadKjv(Path.Combine(Repo.Root, "data", "text", "kjv.txt.gz")));

    [Fact]
    public void The_shipped_KJV_has_every_verse_and_book_in_order()
    {
        var corpus = Kjv.Value;
        corpus.Verses.Should().HaveCount(31102);
        corpus.Books.Should().Equal(KjvBooks.All.Select(b => b.Abbreviation));
        corpus.Verses[0].Should().Be(new Verse("Ge", 1, 1, "In the beginning God created the heaven and the earth."));
        corpus.Verses[^1].Book.Should().Be("Rev");
        corpus.Verses[^1].Chapter.Should().Be(22);
        corpus.Verses[^1].Number.Should().Be(21);
        corpus.Verses.Count(v => KjvBooks.Get(v.Book).Testament == "Old").Should().Be(23145);
        corpus.CharacterCount.Should().BeGreaterThan(1_000_000);
        corpus.Text().Length.Should().Be((int)corpus.CharacterCount);
        corpus.Book("1Sm").Verses.Should().Contain(v => v.Text.Contains("Hannah"));
    }

    [Fact]
    public void Parse_reads_books_that_start_with_a_digit_and_rejects_malformed_lines()
    {
        var corpus = TextCorpus.Parse(["1Sm1:2 And he had two wives; the name of the one was Hannah.", "", "Rev22:21 Amen."]);
        corpus.Verses.Should().Equal(new Verse("1Sm", 1, 2, "And he had two wives; the name of the one was Hannah."), new Verse("Rev", 22, 21, "Amen."));
        var act = () => TextCorpus.Parse(["Genesis one"]);
        act.Should().Throw<FormatException>().WithMessage("*Genesis one*");
        var noChapter = () => TextCorpus.Parse(["Ge:1 text"]);
        noChapter.Should().Throw<FormatException>();
    }

    [Fact]
    public void SplitByChapter_is_a_partition_by_chapter_number()
    {
        var corpus = Kjv.Value;
        var (train, heldOut) = corpus.SplitByChapter(5);
        (train.Verses.Count + heldOut.Verses.Count).Should().Be(corpus.Verses.Count);
        heldOut.Verses.Should().OnlyContain(v => v.Chapter % 5 == 0);
        train.Verses.Should().OnlyContain(v => v.Chapter % 5 != 0);
        var act = () => corpus.SplitByChapter(1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*every*");
    }

    [Fact]
    public void KjvBooks_label_sections_and_testaments()
    {
        KjvBooks.All.Should().HaveCount(66);
        KjvBooks.Sections[KjvBooks.SectionIndex("Ge")].Should().Be("Law");
        KjvBooks.Sections[KjvBooks.SectionIndex("Psa")].Should().Be("Wisdom");
        KjvBooks.Sections[KjvBooks.SectionIndex("Mal")].Should().Be("Prophets");
        KjvBooks.Sections[KjvBooks.SectionIndex("Acts")].Should().Be("Gospels and Acts");
        KjvBooks.Sections[KjvBooks.SectionIndex("Rom")].Should().Be("Letters");
        KjvBooks.TestamentIndex("Mal").Should().Be(0);
        KjvBooks.TestamentIndex("Mat").Should().Be(1);
        KjvBooks.All.GroupBy(b => b.Section).Select(g => g.Count()).Should().Equal(5, 12, 5, 17, 5, 22);
        var act = () => KjvBooks.Get("Genesis");
        act.Should().Throw<ArgumentException>().WithMessage("*Genesis*");
    }
}
