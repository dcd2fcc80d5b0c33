using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Models;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Evaluation;

public class LayerFeaturesTests
{
    [Fact]
    public void Pool_matches_a_loop_over_cells()
    {
        Course.Init();
        var map = randn(2, 3, 4, 6, generator: Course.Generator(1));
        var pooled = LayerFeatures.Pool(map, 2);
        pooled.shape.Should().Equal(2, 12);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++)
                    {
                        double sum = 0;
                        for (int y = 2 * i; y < 2 * i + 2; y++)
                            for (int x = 3 * j; x < 3 * j + 3; x++) sum += map[n, c, y, x].item<float>();
                        pooled[n, c * 4 + i * 2 + j].item<float>().Should().BeApproximately((float)(sum / 6), 1e-5f);
                    }
    }

    [Fact]
    public void Last_layer_with_one_cell_is_the_encoders_output_and_shapes_follow_the_widths()
    {
        Course.Init();
        Course.Reseed(2);
        var encoder = new ConvNet(3, width: 0.25);
        var images = rand(5, 3, 32, 32, generator: Course.Generator(3));
        var expected = SslCourse.Evaluation.FeatureExtractor.Extract(encoder, images);
        LayerFeatures.Extract(encoder, images, 3, grid: 1, batchSize: 2).allclose(expected, 1e-5, 1e-5).Should().BeTrue();
        for (int layer = 0; layer < 4; layer++)
            LayerFeatures.Extract(encoder, images, layer, grid: 2).shape.Should().Equal(5, encoder.Widths[layer] * 4);
        encoder.training.Should().BeTrue("the training mode is restored");
        FluentActions.Invoking(() => LayerFeatures.Extract(encoder, images, 4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("layer");
        FluentActions.Invoking(() => LayerFeatures.Pool(images, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("grid");
    }
}
