using System.Globalization;
using FluentAssertions;
using SslCourse.Data;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Data;

/// <summary>
/// Pins the pixels of <see cref="ToyObjects"/>: shipped checkpoints and seeded runs depend on them, so a faster renderer
/// must draw the same images. ToyObjectsGolden.txt holds, for each of five (variant, size, seed, start) sets, a
/// checksum of the 200 labels and two checksums per image (the sum of its pixels and a sum with pseudo-random signs
/// per pixel position), written from the renderer as it was before its optimisation. A change of any pixel by more
/// than <see cref="Tolerance"/> moves a checksum past the tolerance; float rounding differences (at most 1e-5 per
/// pixel, spread over thousands of pixels with either sign) stay well inside it.
/// </summary>
public class ToyObjectsGoldenTests
{
    /// <summary>How far a checksum may drift: well above rounding noise, well below any real change of the drawing.</summary>
    const double Tolerance = 1e-3;

    static string GoldenPath => Path.Combine(Repo.Root, "tests", "SslCourse.Tests", "Data", "ToyObjectsGolden.txt");

    /// <summary>A golden set: its parameters, the label checksum and the per-image (sum, signed sum) checksums.</summary>
    sealed record GoldenSet(ToyVariant Variant, int Size, int Seed, long Start, long LabelChecksum, (double Sum, double Signed)[] Images);

    /// <summary>The per-image checksums of images [N, 3, S, S]: the plain sum of the pixels and the sum with the sign
    /// of each pixel position drawn from a fixed hash.</summary>
    static (double Sum, double Signed)[] ImageChecksums(Tensor images)
    {
        int n = (int)images.shape[0], per = (int)(images.numel() / Math.Max(1, n));
        var pixels = images.contiguous().data<float>().ToArray();
        var result = new (double, double)[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0, signed = 0;
            for (int j = 0; j < per; j++)
            {
                double p = pixels[(long)i * per + j];
                sum += p;
                signed += ((uint)j * 2654435761u >> 16 & 1) == 0 ? p : -p;
            }
            result[i] = (sum, signed);
        }
        return result;
    }

    /// <summary>Sum over the labels of label * (position + 1): any relabelling or reordering changes it.</summary>
    static long LabelChecksum(Tensor labels) => labels.data<long>().ToArray().Select((l, i) => l * (i + 1)).Sum();

    static List<GoldenSet> ReadGolden()
    {
        var sets = new List<GoldenSet>();
        var lines = File.ReadAllLines(GoldenPath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        for (int k = 0; k < lines.Length;)
        {
            // header: "set <variant> <size> <seed> <start> <count> <label checksum>", then <count> lines "<sum> <signed>"
            var h = lines[k++].Split(' ');
            h[0].Should().Be("set", "every block of the golden file starts with a set header");
            int count = int.Parse(h[5], CultureInfo.InvariantCulture);
            var images = new (double, double)[count];
            for (int i = 0; i < count; i++)
            {
                var v = lines[k++].Split(' ');
                images[i] = (double.Parse(v[0], CultureInfo.InvariantCulture), double.Parse(v[1], CultureInfo.InvariantCulture));
            }
            sets.Add(new GoldenSet(Enum.Parse<ToyVariant>(h[1]), int.Parse(h[2], CultureInfo.InvariantCulture), int.Parse(h[3], CultureInfo.InvariantCulture),
                long.Parse(h[4], CultureInfo.InvariantCulture), long.Parse(h[6], CultureInfo.InvariantCulture), images));
        }
        return sets;
    }

    [Fact]
    public void Golden_file_covers_every_variant_at_32_and_64_pixels()
    {
        var sets = ReadGolden();
        sets.Select(s => s.Variant).Distinct().Should().BeEquivalentTo(Enum.GetValues<ToyVariant>());
        sets.Select(s => s.Size).Distinct().Should().Contain([32, 64]);
        sets.Should().OnlyContain(s => s.Images.Length == 200);
        sets.Should().Contain(s => s.Start == ToyObjects.TestStart, "the test range is pinned too");
    }

    [Fact]
    public void Images_and_labels_match_the_golden_checksums()
    {
        Course.Init(1);
        foreach (var set in ReadGolden())
        {
            using var scope = NewDisposeScope();
            var world = new ToyObjects(set.Seed, set.Size, set.Variant);
            var (x, y) = world.Generate(set.Start, set.Images.Length);
            var what = $"{set.Variant} {set.Size}x{set.Size} seed {set.Seed} from index {set.Start}";
            LabelChecksum(y).Should().Be(set.LabelChecksum, $"the labels of {what} are pinned");
            var got = ImageChecksums(x);
            for (int i = 0; i < got.Length; i++)
            {
                double dSum = Math.Abs(got[i].Sum - set.Images[i].Sum), dSigned = Math.Abs(got[i].Signed - set.Images[i].Signed);
                if (dSum > Tolerance || dSigned > Tolerance)
                    throw new Xunit.Sdk.XunitException($"image {set.Start + i} of {what} changed: pixel sum {got[i].Sum:F6} " +
                        $"(golden {set.Images[i].Sum:F6}), signed sum {got[i].Signed:F6} (golden {set.Images[i].Signed:F6}).");
            }
        }
    }

    [Fact]
    public void Checksums_see_a_change_of_one_pixel()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var (x, _) = new ToyObjects(0).Generate(0, 2);
        var before = ImageChecksums(x);
        var moved = x.clone();
        moved[1, 2, 17, 5] = moved[1, 2, 17, 5] + 2 * Tolerance;
        var after = ImageChecksums(moved);
        after[0].Should().Be(before[0]);
        Math.Abs(after[1].Sum - before[1].Sum).Should().BeGreaterThan(Tolerance);
        Math.Abs(after[1].Signed - before[1].Signed).Should().BeGreaterThan(Tolerance);
    }
}
