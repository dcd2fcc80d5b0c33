using FluentAssertions;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class PassagesTests
{
    [Fact]
    public void Passages_never_span_two_books_and_carry_the_book_label()
    {
        Course.Init();
        var corpus = new TextCorpus([
            new Verse("Ge", 1, 1, "aaaaaaa"), new Verse("Ge", 1, 2, "aa"),   // "aaaaaaa aa": 10 characters, 2 windows of 4
            new Verse("Mat", 1, 1, "bbbbbb"),                                 // 6 characters, 1 window of 4
        ]);
        var tok = CharTokenizer.FromText("ab ");
        var p = Passages.FromBooks(corpus, tok, 4, KjvBooks.TestamentIndex, KjvBooks.Testaments);
        p.Count.Should().Be(3);
        p.Labels.data<long>().ToArray().Should().Equal(0, 0, 1);
        tok.DecodeTensor(p.Tokens[1]).Should().Be("aaa ");
        tok.DecodeTensor(p.Tokens[2]).Should().Be("bbbb");
        p.CountPerClass().Should().Equal(2, 1);
    }

    [Fact]
    public void SamplePerClass_is_balanced_and_seeded()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var labels = tensor(Enumerable.Range(0, 90).Select(i => (long)(i % 3)).ToArray());
        var p = new LabelledPassages(arange(90, dtype: ScalarType.Int64).reshape(90, 1), labels, ["a", "b", "c"]);
        var s = p.SamplePerClass(5, Course.Generator(1));
        s.CountPerClass().Should().Equal(5, 5, 5);
        s.Tokens.data<long>().Distinct().Should().HaveCount(15);
        (s.Tokens.squeeze(1) % 3).equal(s.Labels).all().item<bool>().Should().BeTrue();
        p.SamplePerClass(5, Course.Generator(1)).Tokens.equal(s.Tokens).all().item<bool>().Should().BeTrue();
        p.SamplePerClass(40, Course.Generator(1)).CountPerClass().Should().Equal(30, 30, 30);
    }
}
