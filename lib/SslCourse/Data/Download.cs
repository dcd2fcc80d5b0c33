using System.Security.Cryptography;

namespace SslCourse.Data;

/// <summary>One file of a public dataset: where it lives and its SHA-256.</summary>
public sealed record RemoteFile(string Url, string FileName, string Sha256);

/// <summary>
/// Optional download of the full public datasets for users who are online. Nothing in the course needs it. A file is
/// streamed to a temporary file in the cache folder, its SHA-256 is checked, and only then is it moved into place:
/// a wrong checksum or a cut connection leaves no partial file behind. Files already present with the right
/// checksum are not downloaded again.
/// </summary>
public static class Download
{
    /// <summary>Fashion-MNIST's four files (Zalando's public mirror; SHA-256 as in data/PROVENANCE.md).</summary>
    public static IReadOnlyList<RemoteFile> FashionMnistFiles { get; } =
    [
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
    ];

    /// <summary>CIFAR-10's binary archive (Krizhevsky's page; the SHA-256 of cifar-10-binary.tar.gz).
    /// Unpack it (e.g. <c>tar xzf</c>) and read the folder with <see cref="Cifar.LoadCifar10Folder"/>.</summary>
    public static RemoteFile Cifar10Binary { get; } = new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        "cifar-10-binary.tar.gz", "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");

    /// <summary>The default cache folder: <c>SSL_COURSE_CACHE</c>, else ~/.cache/ssl-course.</summary>
    public static string DefaultCache =>
        Environment.GetEnvironmentVariable("SSL_COURSE_CACHE") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ssl-course");

    /// <summary>Downloads Fashion-MNIST into <c>cache/fashion-mnist</c> and returns that folder (load it with
    /// <see cref="FashionMnist.LoadFolder"/>).</summary>
    public static async Task<string> FashionMnistAsync(string? cache = null, IProgress<(string File, long Bytes, long? Total)>? progress = null,
        HttpClient? client = null, CancellationToken cancel = default)
    {
        var folder = Path.Combine(cache ?? DefaultCache, "fashion-mnist");
        foreach (var f in FashionMnistFiles) await FileAsync(f, folder, progress, client, cancel);
        return folder;
    }

    /// <summary>Downloads the CIFAR-10 binary archive into <c>cache/cifar-10</c> and returns the archive's path.</summary>
    public static Task<string> Cifar10Async(string? cache = null, IProgress<(string File, long Bytes, long? Total)>? progress = null,
        HttpClient? client = null, CancellationToken cancel = default) =>
        FileAsync(Cifar10Binary, Path.Combine(cache ?? DefaultCache, "cifar-10"), progress, client, cancel);

    /// <summary>Downloads one file into <paramref name="folder"/>, verifies its SHA-256 and moves it into place.</summary>
    /// <returns>The file's final path.</returns>
    /// <exception cref="InvalidDataException">The downloaded bytes have another SHA-256 (the message gives both); nothing is kept.</exception>
    /// <exception cref="HttpRequestException">The server answered with an error status.</exception>
    /// <exception cref="IOException">The connection broke, or fewer bytes came than the server announced; nothing is kept.</exception>
    public static async Task<string> FileAsync(RemoteFile file, string folder, IProgress<(string File, long Bytes, long? Total)>? progress = null,
        HttpClient? client = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, file.FileName);
        if (File.Exists(target) && await Sha256Async(target, cancel) == file.Sha256.ToLowerInvariant()) return target;

        var temp = Path.Combine(folder, $".{file.FileName}.{Guid.NewGuid():N}.part");
        var owned = client == null;
        client ??= new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        try
        {
            using var response = await client.GetAsync(file.Url, HttpCompletionOption.ResponseHeadersRead, cancel);
            response.EnsureSuccessStatusCode();
            long? total = response.Content.Headers.ContentLength;
            string actual;
            long received = 0;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                await using var input = await response.Content.ReadAsStreamAsync(cancel);
                var buffer = new byte[1 << 16];
                long lastReport = -1;
                int n;
                while ((n = await input.ReadAsync(buffer, cancel)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, n), cancel);
                    hash.AppendData(buffer, 0, n);
                    received += n;
                    if (received - lastReport >= 1 << 20) { progress?.Report((file.FileName, received, total)); lastReport = received; }
                }
                progress?.Report((file.FileName, received, total));
                actual = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            }
            if (total is long t && received != t)
                throw new IOException($"{file.Url}: the connection ended after {received} of {t} bytes; nothing was kept.");
            if (actual != file.Sha256.ToLowerInvariant())
                throw new InvalidDataException($"{file.Url}: expected SHA-256 {file.Sha256.ToLowerInvariant()}, got {actual} ({received} bytes); nothing was kept.");
            File.Move(temp, target, overwrite: true);
            return target;
        }
        catch (HttpIOException e)
        {
            throw new IOException($"{file.Url}: the connection broke ({e.Message}); nothing was kept.", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            if (owned) client.Dispose();
        }
    }

    static async Task<string> Sha256Async(string path, CancellationToken cancel)
    {
        await using var s = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(s, cancel)).ToLowerInvariant();
    }
}
