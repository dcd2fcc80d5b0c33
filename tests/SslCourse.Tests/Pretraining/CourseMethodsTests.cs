using FluentAssertions;
using SslCourse.Pretraining;
using Xunit;

namespace SslCourse.Tests.Pretraining;

/// <summary>One registry of typed entries; names become entries in one place.</summary>
public class CourseMethodsTests
{
    [Fact]
    public void Every_method_is_one_entry_and_every_entry_is_trainable()
    {
        CourseMethods.All.Should().Equal("supervised", "rotation", "colorization", "context", "jigsaw", "simclr", "moco", "byol", "simsiam");
        CourseMethods.Methods.Select(m => m.Pretrain).Should().Equal(PretrainMethods.All, "every method of the course is an entry of ssl-course pretrain's registry");
        CourseMethods.Methods.Select(m => m.Name).Should().OnlyHaveUniqueItems();
        CourseMethods.Get("simclr").Should().BeSameAs(CourseMethods.SimClr);
        CourseMethods.Rotation.Pretext.Should().NotBeNull("rotation runs in both drivers");
        CourseMethods.PretextTasks.Should().Equal("colorization", "context", "jigsaw");
        var act = () => CourseMethods.Get("inpainting");
        act.Should().Throw<ArgumentException>().WithMessage("*unknown method 'inpainting'*simsiam*");
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
