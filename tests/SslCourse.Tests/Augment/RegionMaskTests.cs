using FluentAssertions;
using SslCourse.Augment;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

public class RegionMaskTests
{
    [Fact]
    public void Centre_hides_exactly_the_centre_square_with_the_fill_colour()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var images = rand([2, 3, 8, 10], generator: new Generator(1));
        var (masked, mask) = RegionMask.Centre(images, 4, [0.1, 0.2, 0.3]);
        var x = images.data<float>().ToArray(); var y = masked.data<float>().ToArray(); var m = mask.data<bool>().ToArray();
        // naive reference: rows 2..5, columns 3..6 are the centre 4x4 of 8x10
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 8; i++)
                    for (int j = 0; j < 10; j++)
                    {
                        bool inside = i >= 2 && i < 6 && j >= 3 && j < 7;
                        int at = ((n * 3 + c) * 8 + i) * 10 + j;
                        m[i * 10 + j].Should().Be(inside);
                        y[at].Should().Be(inside ? (float)(0.1 * (c + 1)) : x[at], $"pixel ({n}, {c}, {i}, {j})");
                    }
        FluentActions.Invoking(() => RegionMask.Centre(images, 9, [0, 0, 0])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1..8*");
        FluentActions.Invoking(() => RegionMask.Centre(images, 4, [0, 0])).Should().Throw<ArgumentException>().WithMessage("*one value per channel (3)*");
    }

    [Fact]
    public void Loss_is_the_squared_error_inside_the_mask_only()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var g = new Generator(2);
        var predicted = rand([2, 3, 6, 6], generator: g);
        var target = rand([2, 3, 6, 6], generator: g);
        var (_, mask) = RegionMask.Centre(target, 2, [0, 0, 0]);
        var p = predicted.data<float>().ToArray(); var t = target.data<float>().ToArray();
        double sum = 0; int count = 0;
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int i = 2; i < 4; i++)
                    for (int j = 2; j < 4; j++)
                    {
                        int at = ((n * 3 + c) * 6 + i) * 6 + j;
                        sum += (p[at] - t[at]) * (p[at] - t[at]); count++;
                    }
        RegionMask.Loss(predicted, target, mask).item<float>().Should().BeApproximately((float)(sum / count), 1e-6f);
        // what is outside the mask costs nothing
        var changedOutside = predicted.where(mask, full_like(predicted, 9f));
        RegionMask.Loss(changedOutside, target, mask).item<float>().Should().BeApproximately((float)(sum / count), 1e-6f);
        RegionMask.MeanColour(ones(4, 3, 2, 2) * tensor(new float[] { 0.2f, 0.4f, 0.6f }).view(1, 3, 1, 1)).Should().Equal(new[] { 0.2, 0.4, 0.6 }, (a, b) => Math.Abs(a - b) < 1e-6);
    }
}
