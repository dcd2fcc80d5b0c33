using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// Reader for the IDX format of MNIST and Fashion-MNIST (LeCun et al.), gzipped (.gz) or not: a big-endian header
/// (magic 0x00000803 = 2051 for uint8 images [N, H, W], 0x00000801 = 2049 for uint8 labels [N]) followed by the bytes.
/// </summary>
public static class Idx
{
    /// <summary>Magic number of an image file (uint8, 3 dimensions).</summary>
    public const int ImagesMagic = 2051;
    /// <summary>Magic number of a label file (uint8, 1 dimension).</summary>
    public const int LabelsMagic = 2049;

    /// <summary>Reads an image file: [N, 1, H, W] float32 in 0..1 (pixel / 255).</summary>
    /// <exception cref="DataFormatException">Wrong magic number or fewer bytes than the header promises.</exception>
    public static Tensor ReadImages(string path)
    {
        var bytes = ReadAll(path);
        Header(path, bytes, ImagesMagic, 16);
        int n = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)), h = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)),
            w = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        long expected = 16 + (long)n * h * w;
        if (bytes.Length != expected)
            throw new DataFormatException(path, $"expected {expected} bytes ({n} images of {h}x{w} after a 16-byte header), found {bytes.Length}.");
        using var raw = tensor(bytes.AsSpan(16).ToArray(), [n, 1, h, w]);
        return raw.to_type(ScalarType.Float32).div_(255f);
    }

    /// <summary>Reads a label file: [N] int64.</summary>
    /// <exception cref="DataFormatException">Wrong magic number or fewer bytes than the header promises.</exception>
    public static Tensor ReadLabels(string path)
    {
        var bytes = ReadAll(path);
        Header(path, bytes, LabelsMagic, 8);
        int n = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (bytes.Length != 8L + n)
            throw new DataFormatException(path, $"expected {8L + n} bytes ({n} labels after an 8-byte header), found {bytes.Length}.");
        return tensor(bytes.AsSpan(8).ToArray().Select(b => (long)b).ToArray());
    }

    /// <summary>Writes images ([N, 1, H, W] or [N, H, W], values in 0..1) as an IDX file, gzipped when the name ends in .gz.</summary>
    public static void WriteImages(string path, Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = images.dim() == 4 ? images.squeeze(1) : images;
        if (x.dim() != 3) throw new ArgumentException($"images: expected [N, 1, H, W] or [N, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        var data = x.mul(255f).round().clamp(0, 255).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), (int)x.shape[0]);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), (int)x.shape[1]);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), (int)x.shape[2]);
        WriteAll(path, [.. header, .. data]);
    }

    /// <summary>Writes labels ([N], 0..255) as an IDX file, gzipped when the name ends in .gz.</summary>
    public static void WriteLabels(string path, Tensor labels)
    {
        var data = labels.to_type(ScalarType.Int64).data<long>().ToArray().Select(l => (byte)l).ToArray();
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), data.Length);
        WriteAll(path, [.. header, .. data]);
    }

    static void Header(string path, byte[] bytes, int magic, int headerBytes)
    {
        if (bytes.Length < headerBytes)
            throw new DataFormatException(path, $"expected at least a {headerBytes}-byte IDX header, found {bytes.Length} bytes.");
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
            throw new DataFormatException(path, $"expected IDX magic number {magic} (0x{magic:X8}), found {found} (0x{found:X8}).");
    }

    static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
        try
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"not a valid gzip stream ({e.Message}); the file may be truncated (size {new FileInfo(path).Length} bytes).");
        }
        catch (EndOfStreamException)
        {
            throw new DataFormatException(path, $"the gzip stream ends early: the file is truncated (size {new FileInfo(path).Length} bytes).");
        }
    }

    static void WriteAll(string path, byte[] bytes)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) { File.WriteAllBytes(path, bytes); return; }
        using var gz = new GZipStream(File.Create(path), CompressionLevel.SmallestSize);
        gz.Write(bytes);
    }
}
