using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>The variants of <see cref="ToyObjects"/>.</summary>
public enum ToyVariant
{
    /// <summary>The course's default set: 10 object classes on gradient, stripe, check and wave backgrounds.</summary>
    Standard,
    /// <summary>The same 10 classes in another domain: dotted, ringed and grainy dark backgrounds, a palette turned by
    /// 45 degrees of hue with less saturation, rendered at half resolution and scaled up (blurred), stronger noise.</summary>
    DomainShift,
    /// <summary>20 labels: each class splits into two subclasses that differ only in a small detail (a chimney,
    /// fruit, a headlight, spots, a band, a stripe, finger holes, a dot, sprinkles, a flag). Objects are drawn a
    /// little larger so the details survive at 32x32.</summary>
    FineGrained,
}

/// <summary>What the lessons need to know about one class of <see cref="ToyObjects"/>.</summary>
/// <param name="Name">Short name ("house").</param>
/// <param name="Look">What the object is made of, in words.</param>
/// <param name="Rotation">How the object behaves under the four 90-degree rotations (notebook 07).</param>
/// <param name="RotationAmbiguous">True when some 90-degree rotations of the object look (nearly) the same.</param>
/// <param name="Subclasses">The two subclass names (the <see cref="ToyVariant.FineGrained"/> labels).</param>
/// <param name="TypicalColours">The main part's typical colours as (r, g, b) in 0..1 (notebook 04: colours are learnable
/// but not unique to a class).</param>
public sealed record ToyClass(string Name, string Look, string Rotation, bool RotationAmbiguous,
    IReadOnlyList<string> Subclasses, IReadOnlyList<(float R, float G, float B)> TypicalColours);

/// <summary>
/// ToyObjects: the course's procedural colour image set, built for the lessons. Ten classes of everyday objects with
/// a canonical upright orientation (so rotation prediction is learnable; the ball, star and donut are nearly
/// rotation-symmetric, so rotation is ambiguous for them), class-typical but varied and overlapping colours (so
/// colorization is learnable and colour is a tempting shortcut), textured backgrounds, varied position, scale, tilt
/// and mirroring, clutter and partial occlusion.
/// <para>Every image is a pure function of (seed, index, variant, size): nothing is stored, any index range is
/// generated on its own, and the same call always returns the same pixels. Classes cycle with the index
/// (index mod 10), so every 10 consecutive indices hold one image per class (every 20 one per subclass).</para>
/// <para>By convention training sets start at index 0 and test sets at <see cref="TestStart"/>.</para>
/// </summary>
/// <example><code>
/// var world = new ToyObjects(seed: 0);
/// var (images, labels) = world.Generate(0, 64);   // [64, 3, 32, 32] in 0..1, [64] int64
/// using var train = world.Train(10_000); using var test = world.Test(2_000);
/// </code></example>
public sealed class ToyObjects
{
    /// <summary>The first index of the test range (far from any training range).</summary>
    public const long TestStart = 1L << 40;

    /// <summary>The ten classes, in label order.</summary>
    public static IReadOnlyList<ToyClass> Classes { get; } = BuildClasses();

    /// <summary>The ten class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Classes.Select(c => c.Name).ToArray();

    /// <summary>The classes whose 90-degree rotations are (nearly) indistinguishable: ball, star, donut.</summary>
    public static IReadOnlyList<int> RotationAmbiguousClasses { get; } =
        Enumerable.Range(0, Classes.Count).Where(i => Classes[i].RotationAmbiguous).ToArray();

    /// <summary>The seed all images derive from.</summary>
    public int Seed { get; }
    /// <summary>Image side in pixels (32 by default).</summary>
    public int Size { get; }
    /// <summary>The variant drawn.</summary>
    public ToyVariant Variant { get; }

    /// <summary>Creates the generator; nothing is drawn until <see cref="Generate"/>.</summary>
    /// <param name="seed">Seed of the whole set.</param>
    /// <param name="size">Image side: 16 to 256 pixels (32 by default; 64 for finer detail).</param>
    /// <param name="variant">Standard, domain-shifted or fine-grained.</param>
    public ToyObjects(int seed = 0, int size = 32, ToyVariant variant = ToyVariant.Standard)
    {
        if (size < 16 || size > 256) throw new ArgumentOutOfRangeException(nameof(size), size, "size must lie in 16..256 pixels.");
        if (!Enum.IsDefined(variant)) throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant.");
        Seed = seed; Size = size; Variant = variant;
    }

    /// <summary>Number of labels: 10, or 20 for <see cref="ToyVariant.FineGrained"/>.</summary>
    public int NumClasses => Variant == ToyVariant.FineGrained ? 20 : 10;

    /// <summary>The label names of this variant: the class names, or "class/subclass" for the fine-grained one.</summary>
    public IReadOnlyList<string> LabelNames => Variant == ToyVariant.FineGrained
        ? Classes.SelectMany(c => c.Subclasses.Select(s => $"{c.Name}/{s}")).ToArray()
        : ClassNames;

    /// <summary>Draws images <paramref name="start"/> .. start + count - 1 (in parallel over images).</summary>
    /// <returns>images [count, 3, Size, Size] float32 in 0..1; labels [count] int64 (this variant's labels:
    /// <see cref="FineLabels"/> for the fine-grained variant, <see cref="CoarseLabels"/> otherwise).</returns>
    public (Tensor Images, Tensor Labels) Generate(long start, int count)
    {
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start), start, "start must be >= 0.");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
        // the images are drawn straight into the tensor's memory: no managed array, no copy
        var images = empty([count, 3, Size, Size], ScalarType.Float32, CPU);
        long bytesPerImage = 3L * Size * Size * sizeof(float);
        int block = (int)Math.Max(1, Math.Min(count, int.MaxValue / bytesPerImage)); // Tensor.bytes spans < 2 GiB
        for (int done = 0; done < count; done += block)
        {
            int n = Math.Min(block, count - done);
            using var part = images.narrow(0, done, n);
            Draw(MemoryMarshal.Cast<byte, float>(part.bytes), start + done, n);
        }
        return (images, Labels(start, count));
    }

    /// <summary>Draws images start .. start + count - 1 into <paramref name="pixels"/> ([count, 3, Size, Size] in
    /// row-major order), in parallel over runs of consecutive images.</summary>
    unsafe void Draw(Span<float> pixels, long start, int count)
    {
        int per = 3 * Size * Size;
        fixed (float* basePtr = pixels)
        {
            AdviseHugePages(basePtr, (long)pixels.Length * sizeof(float));
            var p = (nint)basePtr;
            int size = Size, seed = Seed;
            var variant = Variant;
            int chunk = Math.Max(1, count / (4 * Environment.ProcessorCount));
            Parallel.For(0, (count + chunk - 1) / chunk, c =>
            {
                int end = Math.Min(count, (c + 1) * chunk);
                for (int i = c * chunk; i < end; i++)
                    ToyObjectsRenderer.Render((float*)p + (long)i * per, size, variant, seed, start + i);
            });
        }
    }

    const long HugePage = 2 << 20;
    const int MadviseHugePage = 14; // MADV_HUGEPAGE
    static bool _adviseFailed;

    /// <summary>Asks Linux to back the untouched memory at <paramref name="p"/> with 2 MiB pages. The first write to
    /// fresh memory costs one page fault per 4 KiB page, and on the course's virtual machines these faults cost more
    /// than drawing the images (20,000 images at 32x32 fill 246 MB); with 2 MiB pages there are 512 times fewer.
    /// Only a hint (madvise MADV_HUGEPAGE): the memory stays libtorch's, and where it is refused or not Linux
    /// nothing changes.</summary>
    static unsafe void AdviseHugePages(void* p, long bytes)
    {
        if (_adviseFailed || !OperatingSystem.IsLinux() || bytes < 2 * HugePage) return;
        long from = ((long)p + HugePage - 1) & ~(HugePage - 1), to = ((long)p + bytes) & ~(HugePage - 1);
        try { madvise((void*)from, (nuint)(to - from), MadviseHugePage); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { _adviseFailed = true; }
    }

    [DllImport("libc.so.6")]
    static extern unsafe int madvise(void* address, nuint length, int advice);

    /// <summary>This variant's labels of images start .. start + count - 1 ([count] int64), without drawing them.</summary>
    public Tensor Labels(long start, int count) => Variant == ToyVariant.FineGrained ? FineLabels(start, count) : CoarseLabels(start, count);

    /// <summary>The class (0..9) of images start .. start + count - 1: [count] int64.</summary>
    public Tensor CoarseLabels(long start, int count) =>
        tensor(Enumerable.Range(0, count).Select(i => (long)ToyObjectsRenderer.ClassOf(start + i)).ToArray());

    /// <summary>The subclass label (class * 2 + subclass, 0..19) of images start .. start + count - 1: [count] int64.
    /// Every variant draws the subclass details; only the fine-grained one uses them as its labels.</summary>
    public Tensor FineLabels(long start, int count) =>
        tensor(Enumerable.Range(0, count).Select(i => (long)(ToyObjectsRenderer.ClassOf(start + i) * 2 + ToyObjectsRenderer.SubclassOf(start + i))).ToArray());

    /// <summary>A training set: images 0 .. count - 1 with this variant's labels.</summary>
    public LabeledImages Train(int count) => Set(0, count);

    /// <summary>A test set: images <see cref="TestStart"/> .. TestStart + count - 1 (never in a training range).</summary>
    public LabeledImages Test(int count) => Set(TestStart, count);

    /// <summary>Images start .. start + count - 1 as a <see cref="LabeledImages"/>.</summary>
    public LabeledImages Set(long start, int count)
    {
        var (x, y) = Generate(start, count);
        return new LabeledImages(x, y, LabelNames);
    }

    /// <summary>Colour statistics of <paramref name="count"/> generated images: the mean RGB of each class's images
    /// (object and background together) [NumClasses, 3], and the mean over all [3]. The spread between class means
    /// is what makes colour a (weak) shortcut and colorization learnable.</summary>
    public (Tensor ClassMeans, Tensor Mean) ColourStatistics(int count = 2000)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Generate(0, count);
        var perImage = x.mean([2, 3]);                                      // [N, 3]
        var sums = zeros(NumClasses, 3).index_add(0, y, perImage, 1);       // [K, 3]
        var counts = bincount(y, minlength: NumClasses).to_type(ScalarType.Float32).unsqueeze(1); // [K, 1]
        var classMeans = sums / counts.clamp_min(1);
        return (classMeans.MoveToOuterDisposeScope(), perImage.mean([0]).MoveToOuterDisposeScope());
    }

    static ToyClass[] BuildClasses()
    {
        (float, float, float)[] Colours(int c) => ToyObjectsRenderer.MainPalettes[c].Select(p => (p.R, p.G, p.B)).ToArray();
        return
        [
            new("house", "walls, a pointed roof, a door and a window", "distinct: the roof is on top", false, ["plain", "chimney"], Colours(0)),
            new("tree", "a trunk under a round or pointed crown", "distinct: the trunk is at the bottom", false, ["plain", "fruit"], Colours(1)),
            new("car", "a body with a cabin and two wheels", "distinct: the wheels are at the bottom", false, ["plain", "headlight"], Colours(2)),
            new("mushroom", "a stem under a domed cap", "distinct: the cap is on top", false, ["plain", "spots"], Colours(3)),
            new("cup", "a tapered cup with a handle on a saucer", "distinct: the saucer is at the bottom", false, ["plain", "band"], Colours(4)),
            new("fish", "an oval body, a tail, a fin on top and an eye", "distinct: the fin is on top, the body lies flat", false, ["plain", "stripe"], Colours(5)),
            new("ball", "a disc with a highlight", "nearly symmetric: only the highlight (top left or top right, mirrored) hints at the rotation", true, ["plain", "holes"], Colours(6)),
            new("star", "a five-pointed star, one point up", "nearly symmetric: its 72-degree symmetry makes 90-degree turns look alike at low resolution", true, ["plain", "dot"], Colours(7)),
            new("donut", "a ring of dough under icing, seen from above", "symmetric: every rotation looks the same", true, ["plain", "sprinkles"], Colours(8)),
            new("sailboat", "a hull, a mast and two sails", "distinct: the hull is at the bottom", false, ["plain", "flag"], Colours(9)),
        ];
    }
}
