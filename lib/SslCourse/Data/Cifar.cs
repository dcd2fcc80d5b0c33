using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// Reader for the binary version of CIFAR-10 and CIFAR-100 (Krizhevsky, 2009). A CIFAR-10 record is 1 label byte and
/// 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32x32); a CIFAR-100 record has 2 label bytes (coarse,
/// fine) before the pixels.
/// </summary>
public static class Cifar
{
    /// <summary>CIFAR-10's class names, in label order.</summary>
    public static IReadOnlyList<string> Cifar10ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    const int Pixels = 3 * 32 * 32;

    /// <summary>Reads CIFAR-10 binary batches (e.g. data_batch_1.bin ... data_batch_5.bin, or test_batch.bin):
    /// images [N, 3, 32, 32] float32 in 0..1, labels [N] int64.</summary>
    /// <exception cref="DataFormatException">A file's size is not a whole number of 3073-byte records, or a label is over 9.</exception>
    public static LabeledImages ReadCifar10(params string[] paths) => Read(paths, 1, 0, Cifar10ClassNames, 10);

    /// <summary>Reads CIFAR-100 binary files (train.bin, test.bin): labels are the fine (100) or coarse (20) labels.</summary>
    public static LabeledImages ReadCifar100(string path, bool fineLabels = true, IReadOnlyList<string>? classNames = null)
    {
        int classes = fineLabels ? 100 : 20;
        return Read([path], 2, fineLabels ? 1 : 0, classNames ?? Enumerable.Range(0, classes).Select(i => $"class {i}").ToArray(), classes);
    }

    /// <summary>The CIFAR-10 folder layout (<c>cifar-10-batches-bin</c>): the five training batches or the test batch.</summary>
    public static LabeledImages LoadCifar10Folder(string folder, bool train = true) => ReadCifar10(train
        ? Enumerable.Range(1, 5).Select(i => Path.Combine(folder, $"data_batch_{i}.bin")).ToArray()
        : [Path.Combine(folder, "test_batch.bin")]);

    /// <summary>Writes images [N, 3, 32, 32] in 0..1 and labels [N] as one CIFAR-10 binary batch (for tests and exports).</summary>
    public static void WriteCifar10(string path, Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        int n = (int)images.shape[0];
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != 32 || images.shape[3] != 32)
            throw new ArgumentException($"images: expected [N, 3, 32, 32], got [{string.Join(", ", images.shape)}].", nameof(images));
        var px = images.mul(255f).round().clamp(0, 255).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
        var ls = labels.to_type(ScalarType.Int64).data<long>().ToArray();
        var bytes = new byte[n * (Pixels + 1)];
        for (int i = 0; i < n; i++)
        {
            bytes[i * (Pixels + 1)] = (byte)ls[i];
            Array.Copy(px, i * Pixels, bytes, i * (Pixels + 1) + 1, Pixels);
        }
        File.WriteAllBytes(path, bytes);
    }

    static LabeledImages Read(string[] paths, int labelBytes, int labelOffset, IReadOnlyList<string> names, int classes)
    {
        if (paths.Length == 0) throw new ArgumentException("no CIFAR files given.", nameof(paths));
        int record = labelBytes + Pixels;
        var pixelChunks = new List<byte[]>();
        var labels = new List<long>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"CIFAR file not found: {path}", path);
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % record != 0)
                throw new DataFormatException(path, $"expected a multiple of {record} bytes ({labelBytes} label byte(s) + {Pixels} pixels per image), found {bytes.Length} ({bytes.Length / record} whole records and {bytes.Length % record} bytes over).");
            int n = bytes.Length / record;
            var px = new byte[n * Pixels];
            for (int i = 0; i < n; i++)
            {
                int label = bytes[i * record + labelOffset];
                if (label >= classes)
                    throw new DataFormatException(path, $"record {i}: expected a label below {classes}, found {label} (is this the right CIFAR variant?).");
                labels.Add(label);
                Array.Copy(bytes, i * record + labelBytes, px, i * Pixels, Pixels);
            }
            pixelChunks.Add(px);
        }
        var all = pixelChunks.Count == 1 ? pixelChunks[0] : pixelChunks.SelectMany(c => c).ToArray();
        using var raw = tensor(all, [labels.Count, 3, 32, 32]);
        return new LabeledImages(raw.to_type(ScalarType.Float32).div_(255f), tensor(labels.ToArray()), names);
    }
}
