using FluentAssertions;
using SslCourse.Text;
using Xunit;

namespace SslCourse.Tests.Text;

public class TokenizerTests
{
    [Fact]
    public void CharTokenizer_round_trips_and_reserves_mask_and_unknown()
    {
        Course.Init();
        var tok = CharTokenizer.FromText("Hannah is a sister.");
        tok.Characters.Should().Equal(' ', '.', 'H', 'a', 'e', 'h', 'i', 'n', 'r', 's', 't');
        tok.VocabSize.Should().Be(13);
        var ids = tok.Encode("Hannah is a sister.");
        ids.Should().OnlyContain(i => i >= CharTokenizer.FirstCharacterId && i < tok.VocabSize);
        tok.Decode(ids).Should().Be("Hannah is a sister.");
        tok.Encode("Hz").Should().Equal(tok.Encode("H")[0], CharTokenizer.UnknownId);
        tok.Decode([CharTokenizer.MaskId, tok.Encode("a")[0]]).Should().Be("_a");
        using var t = tok.EncodeTensor("as");
        tok.DecodeTensor(t).Should().Be("as");
        CharTokenizer.FromText("sister. Hannah is a").Characters.Should().Equal(tok.Characters);
        var act = () => tok.TokenText(13);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0..12*");
    }

    [Fact]
    public void Gpt2Tokenizer_gives_GPT2_ids_and_pieces()
    {
        var bpe = new Gpt2Tokenizer();
        bpe.Encode("Hello world").Should().Equal(15496, 995);
        bpe.Pieces("Hannah is a sister").Should().Equal("H", "annah", " is", " a", " sister");
        bpe.Decode(bpe.Encode("In the beginning God created the heaven and the earth."))
            .Should().Be("In the beginning God created the heaven and the earth.");
        bpe.VocabSize.Should().Be(50257);
    }

    [Fact]
    public void SubwordTokenizer_maps_corpus_pieces_to_a_compact_vocabulary()
    {
        var text = "the cat and the dog and the bird";
        var tok = SubwordTokenizer.FromText(text);
        tok.TokenText(SubwordTokenizer.FirstPieceId).Should().Be(" the");          // most frequent piece first
        tok.VocabSize.Should().Be(SubwordTokenizer.FirstPieceId + new Gpt2Tokenizer().Encode(text).Distinct().Count());
        tok.Decode(tok.Encode(text)).Should().Be(text);
        tok.Encode(" the zebra").Should().Contain(SubwordTokenizer.UnknownId);
        SubwordTokenizer.FromText(text, maxPieces: 2).VocabSize.Should().Be(4);
        var act = () => SubwordTokenizer.FromText(text, maxPieces: 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*maxPieces*");
    }
}
