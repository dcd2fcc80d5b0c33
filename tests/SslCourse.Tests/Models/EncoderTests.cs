using FluentAssertions;
using SslCourse.Models;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public class EncoderTests
{
    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 32)]
    [InlineData(3, 64)]
    public void ConvNet_maps_images_to_256_features_and_exposes_every_block(int channels, int size)
    {
        Course.Init(0);
        using var net = new ConvNet(channels);
        var x = randn(2, channels, size, size);
        net.call(x).shape.Should().Equal(2, 256);
        var f = net.Features(x);
        f.Should().HaveCount(5);
        f[0].shape.Should().Equal(2, 32, size / 2, size / 2);
        f[1].shape.Should().Equal(2, 64, size / 4, size / 4);
        f[2].shape.Should().Equal(2, 128, size / 8, size / 8);
        f[3].shape.Should().Equal(2, 256, size / 8, size / 8);
        f[4].shape.Should().Equal(2, 256);
        (f[4] - net.call(x)).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void ConvNet_width_multiplier_scales_channels_and_bad_inputs_are_named()
    {
        Course.Init(0);
        using var wide = new ConvNet(3, width: 2);
        wide.Widths.Should().Equal(64, 128, 256, 512);
        wide.OutputDim.Should().Be(512);
        wide.call(randn(1, 3, 32, 32)).shape.Should().Equal(1, 512);
        FluentActions.Invoking(() => new ConvNet(2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*inChannels*");
        FluentActions.Invoking(() => wide.call(randn(1, 1, 32, 32))).Should().Throw<ArgumentException>().WithMessage("*[N, 3, H, W]*");
    }

    [Fact]
    public void ResNet18_cifar_variant_gives_512_features()
    {
        Course.Init(0);
        using var net = new ResNet18();
        net.call(randn(2, 3, 16, 16)).shape.Should().Equal(2, 512);
        long parameters = ModelUtils.CountParameters(net);
        parameters.Should().BeInRange(11_000_000, 11_300_000, "ResNet-18 has about 11.2M parameters");
    }

    [Fact]
    public void Heads_have_the_documented_shapes()
    {
        Course.Init(0);
        new LinearClassifier(16, 4).call(randn(3, 16)).shape.Should().Equal(3, 4);
        new ProjectionHead(16, 32, 8).call(randn(3, 16)).shape.Should().Equal(3, 8);
        new PredictionHead(8, 16, 8).call(randn(3, 8)).shape.Should().Equal(3, 8);
        new PixelClassifier(32, 313, 16).call(randn(2, 32, 4, 4)).shape.Should().Equal(2, 313, 4, 4);
        new PixelClassifier(32, 10, 16, outputSize: (16, 16)).call(randn(2, 32, 4, 4)).shape.Should().Equal(2, 10, 16, 16);
        new PointClassifier(24, 5, 16).call(randn(2, 100, 24)).shape.Should().Equal(2, 100, 5);
        FluentActions.Invoking(() => new LinearClassifier(16, 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*classes*");
    }
}
