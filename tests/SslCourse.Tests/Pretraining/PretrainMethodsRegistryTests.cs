using FluentAssertions;
using SslCourse.Pretraining;
using Xunit;

namespace SslCourse.Tests.Pretraining;

/// <summary>One registry of typed entries; names become entries in one place.</summary>
public class PretrainMethodsRegistryTests
{
    [Fact]
    public void Every_method_is_one_entry_and_every_entry_is_trainable()
    {
        PretrainMethods.Names.Should().Equal("supervised", "rotation", "colorization", "context", "jigsaw", "simclr", "moco", "byol", "simsiam");
        PretrainMethods.All.Should().OnlyContain(m => m.Build != null, "ssl-course pretrain trains every method");
        PretrainMethods.Names.Should().OnlyHaveUniqueItems();
        PretrainMethods.Get("simclr").Should().BeSameAs(PretrainMethods.SimClr);
        PretrainMethods.Rotation.Pretext.Should().NotBeNull("rotation runs in both drivers");
        PretrainMethods.All.Where(m => m.Pretext != null).Select(m => m.Name).Should().Equal("rotation", "colorization", "context", "jigsaw");
        PretrainMethods.PretextTasks.Should().Equal("colorization", "context", "jigsaw");
        var act = () => PretrainMethods.Get("inpainting");
        act.Should().Throw<ArgumentException>().WithMessage("*unknown pre-training method 'inpainting'*simsiam*");
    }

    [Fact]
    public void Datasets_are_typed_entries_too()
    {
        PretrainData.Names.Should().Equal("toy", "toy-shift", "fmnist");
        PretrainData.Get("toy-shift").EvaluatedOn.Should().BeSameAs(PretrainData.Toy);
        (PretrainData.FashionMnist.Channels, PretrainData.FashionMnist.Size).Should().Be((1, 28));
        PretrainData.Channels("toy").Should().Be(3);
        var act = () => PretrainData.Get("imagenet");
        act.Should().Throw<ArgumentException>().WithMessage("*unknown dataset 'imagenet'*fmnist*");
        var none = () => PretrainData.Toy.Train(0);
        none.Should().Throw<ArgumentOutOfRangeException>();
    }
}
