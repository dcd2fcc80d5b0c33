using FluentAssertions;
using SslCourse.Models;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

/// <summary>Library functions seed the modules they build without reseeding the caller's generator.</summary>
public class SeededInitTests
{
    static Tensor Weights(nn.Module m) => cat(m.parameters().Select(p => p.detach().flatten()).ToArray());

    [Fact]
    public void Builds_the_weights_a_reseed_would_and_leaves_the_callers_stream_alone()
    {
        Course.Init(0);
        Course.Reseed(42);
        var reseeded = Weights(new ConvNet(3, 0.25));

        Course.Reseed(7);
        var expectedNext = rand(5);                                   // what the caller draws next without the library
        Course.Reseed(7);
        var built = SeededInit.Build(42, () => new ConvNet(3, 0.25));
        var next = rand(5);

        Weights(built).allclose(reseeded, 0, 0).Should().BeTrue("the same seed gives the same initial weights");
        next.allclose(expectedNext, 0, 0).Should().BeTrue("the caller's generator goes on where it was");
    }

    [Fact]
    public void Restores_the_state_when_the_build_throws()
    {
        Course.Init(0);
        Course.Reseed(9);
        var expected = rand(3);
        Course.Reseed(9);
        var act = () => SeededInit.Build<nn.Module>(1, () => { _ = nn.Linear(4, 4); throw new InvalidOperationException("boom"); });
        act.Should().Throw<InvalidOperationException>();
        rand(3).allclose(expected, 0, 0).Should().BeTrue();
    }
}
