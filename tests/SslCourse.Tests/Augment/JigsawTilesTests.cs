using FluentAssertions;
using SslCourse.Augment;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

public class JigsawTilesTests
{
    [Fact]
    public void InPlace_then_Shuffle_reproduces_Apply_and_matches_a_loop()
    {
        Course.Init();
        var images = rand(5, 3, 32, 32, generator: Course.Generator(1));
        var jigsaw = new Jigsaw(PermutationSet.Greedy(20), gap: 2);
        var (tiles, labels) = JigsawTiles.InPlace(jigsaw, images, Course.Generator(2));
        var (applied, appliedLabels) = jigsaw.Apply(images, Course.Generator(2));
        labels.eq(appliedLabels).all().item<bool>().Should().BeTrue();
        var table = JigsawTiles.Table(jigsaw.Set);
        table.shape.Should().Equal(20, 9);
        var order = table.index_select(0, labels);
        var shuffled = JigsawTiles.Shuffle(tiles, order);
        shuffled.eq(applied).all().item<bool>().Should().BeTrue();
        for (int n = 0; n < 5; n++)
        {
            var perm = jigsaw.Set.Permutations[(int)labels[n].item<long>()];
            for (int j = 0; j < 9; j++) shuffled[n, j].eq(tiles[n, perm[j]]).all().item<bool>().Should().BeTrue();
        }
        // tile 0 of image 0 in source order lies in the top-left cell: its pixels occur in the image's first 10 rows/columns
        tiles.shape.Should().Equal(5, 9, 3, 8, 8);
        FluentActions.Invoking(() => JigsawTiles.Shuffle(tiles, order[..2])).Should().Throw<ArgumentException>().WithParameterName("order");
    }
}
