using FluentAssertions;
using SslCourse.Data;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Data;

public class ReaderTests
{
    static Tensor Pixels(params long[] shape) => randint(0, 256, shape, generator: Course.Generator(1)).to_type(ScalarType.Float32) / 255;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Idx_round_trips_gz_or_plain(bool gz)
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var dir = Repo.TempDir("idx");
        var x = Pixels(5, 1, 4, 3);
        var y = tensor(new long[] { 3, 1, 4, 1, 5 });
        string ext = gz ? ".gz" : "";
        Idx.WriteImages(Path.Combine(dir, "train-images-idx3-ubyte" + ext), x);
        Idx.WriteLabels(Path.Combine(dir, "train-labels-idx1-ubyte" + ext), y);
        using var set = FashionMnist.LoadFolder(dir, FashionMnistSplit.Train);
        set.Images.allclose(x, atol: 1e-6).Should().BeTrue();
        set.Labels.data<long>().ToArray().Should().Equal(3, 1, 4, 1, 5);
    }

    [Fact]
    public void Idx_errors_name_the_file_and_the_sizes()
    {
        Course.Init(1);
        var dir = Repo.TempDir("idxbad");
        var path = Path.Combine(dir, "images.idx");
        Idx.WriteImages(path, Pixels(2, 1, 4, 4));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^3]);
        var act = () => Idx.ReadImages(path);
        act.Should().Throw<DataFormatException>().WithMessage($"*{path}*expected 48 bytes*found 45*");
        var labels = Path.Combine(dir, "labels.idx");
        File.Copy(path, labels);
        var wrong = () => Idx.ReadLabels(labels);
        wrong.Should().Throw<DataFormatException>().WithMessage("*labels.idx*magic number 2049*found 2051*");
        var gz = Path.Combine(dir, "cut.gz");
        Idx.WriteImages(gz, Pixels(50, 1, 8, 8));
        File.WriteAllBytes(gz, File.ReadAllBytes(gz)[..^40]);
        var cut = () => Idx.ReadImages(gz);
        cut.Should().Throw<DataFormatException>().WithMessage("*cut.gz*expected 3216 bytes*found*");
    }

    [Fact]
    public void The_shipped_fashion_mnist_subset_is_class_balanced()
    {
        Course.Init(1);
        using var train = FashionMnist.Load(FashionMnistSplit.Train);
        using var test = FashionMnist.Load(FashionMnistSplit.Test);
        train.Images.shape.Should().Equal(10000, 1, 28, 28);
        train.ClassCounts().Should().AllBeEquivalentTo(1000);
        test.ClassCounts().Should().AllBeEquivalentTo(200);
        train.Images.max().item<float>().Should().Be(1f);
    }

    [Fact]
    public void Cifar_batches_round_trip_and_bad_sizes_are_reported()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var dir = Repo.TempDir("cifar");
        var x = Pixels(3, 3, 32, 32);
        var y = tensor(new long[] { 9, 0, 4 });
        for (int i = 1; i <= 5; i++) Cifar.WriteCifar10(Path.Combine(dir, $"data_batch_{i}.bin"), x, y);
        using var set = Cifar.LoadCifar10Folder(dir);
        set.Count.Should().Be(15);
        set.Images[..3].allclose(x, atol: 1e-6).Should().BeTrue();
        set.Labels[..3].data<long>().ToArray().Should().Equal(9, 0, 4);
        set.ClassNames[9].Should().Be("truck");
        var bad = Path.Combine(dir, "bad.bin");
        File.WriteAllBytes(bad, new byte[3073 + 100]);
        var act = () => Cifar.ReadCifar10(bad);
        act.Should().Throw<DataFormatException>().WithMessage("*bad.bin*multiple of 3073*found 3173*");
        // CIFAR-100: coarse byte, fine byte, pixels
        var c100 = Path.Combine(dir, "train.bin");
        var rec = new byte[3074]; rec[0] = 7; rec[1] = 77; rec[2] = 255;
        File.WriteAllBytes(c100, rec);
        using var fine = Cifar.ReadCifar100(c100);
        fine.Labels.item<long>().Should().Be(77);
        fine.Images[0, 0, 0, 0].item<float>().Should().Be(1f);
        using var coarse = Cifar.ReadCifar100(c100, fineLabels: false);
        coarse.Labels.item<long>().Should().Be(7);
    }

    [Fact]
    public void Image_folders_round_trip_png_and_report_bad_files()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var dir = Repo.TempDir("folder");
        var x = Pixels(4, 3, 8, 8);
        using (var set = new LabeledImages(x.clone(), tensor(new long[] { 0, 1, 1, 0 }), ["cat", "dog"])) ImageFolder.Save(set, dir);
        using var back = ImageFolder.Load(dir, 8);
        back.ClassNames.Should().Equal("cat", "dog");
        back.ClassCounts().Should().Equal(2, 2);
        back.Images[0].allclose(x[0], atol: 1e-6).Should().BeTrue();
        back.Images[2].allclose(x[1], atol: 1e-6).Should().BeTrue();
        using var gray = ImageFolder.Load(dir, 4, grayscale: true);
        gray.Images.shape.Should().Equal(4, 1, 4, 4);
        File.WriteAllBytes(Path.Combine(dir, "dog", "broken.png"), [1, 2, 3]);
        var act = () => ImageFolder.Load(dir);
        act.Should().Throw<DataFormatException>().WithMessage("*broken.png*3 bytes*");
    }
}
