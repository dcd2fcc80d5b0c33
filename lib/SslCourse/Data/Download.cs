using System.Security.Cryptography;

namespace SslCourse.Data;

/// <summary>One file of a public dataset: where it lives and its checksum. <paramref name="Sha256"/> is checked when
/// given; <paramref name="Md5"/> serves the publishers that only publish MD5 (Zalando, Krizhevsky). At least one is needed.</summary>
public sealed record RemoteFile(string Url, string FileName, string? Sha256 = null, string? Md5 = null);

/// <summary>
/// Optional download of the full public datasets for users who are online. Nothing in the course needs it. A file is
/// streamed to a temporary file in the cache folder, its SHA-256 (or published MD5) is checked, and only then is it
/// moved into place:
/// a wrong checksum or a cut connection leaves no partial file behind. Files already present with the right
/// checksum are not downloaded again.
/// </summary>
public static class Download
{
    /// <summary>Fashion-MNIST's four files from Zalando's public mirror, checked against the MD5s of the Fashion-MNIST
    /// README (the only checksums Zalando publishes; Debian re-compressed its copy, so data/PROVENANCE.md's SHA-256s differ).</summary>
    public static IReadOnlyList<RemoteFile> FashionMnistFiles { get; } =
    [
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz", Md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz", Md5: "25c81989df183df01b3e8a0aad5dffbe"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", Md5: "bef4ecab320f06d8554ea6380940ec79"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz", Md5: "bb300cfdad3c16e7a12a480ee83cd310"),
    ];

    /// <summary>CIFAR-10's binary archive, checked against the MD5 on Krizhevsky's page.
    /// Unpack it (e.g. <c>tar xzf</c>) and read the folder with <see cref="Cifar.LoadCifar10Folder"/>.</summary>
    public static RemoteFile Cifar10Binary { get; } = new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        "cifar-10-binary.tar.gz", Md5: "c32a1d4ab5d03f1284b67883e8d87530");

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
    /// <exception cref="InvalidDataException">The downloaded bytes have another checksum (the message gives both); nothing is kept.</exception>
    /// <exception cref="HttpRequestException">The server answered with an error status.</exception>
    /// <exception cref="IOException">The connection broke, or fewer bytes came than the server announced; nothing is kept.</exception>
    public static async Task<string> FileAsync(RemoteFile file, string folder, IProgress<(string File, long Bytes, long? Total)>? progress = null,
        HttpClient? client = null, CancellationToken cancel = default)
    {
        if (file.Sha256 == null && file.Md5 == null) throw new ArgumentException($"{file.FileName}: a checksum (SHA-256 or MD5) is required.", nameof(file));
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, file.FileName);
        if (File.Exists(target) && await MatchesAsync(target, file, cancel)) return target;

        var temp = Path.Combine(folder, $".{file.FileName}.{Guid.NewGuid():N}.part");
        var owned = client == null;
        client ??= new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        try
        {
            using var response = await client.GetAsync(file.Url, HttpCompletionOption.ResponseHeadersRead, cancel);
            response.EnsureSuccessStatusCode();
            long? total = response.Content.Headers.ContentLength;
            string actual, actualMd5;
            long received = 0;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
            {
                await using var input = await response.Content.ReadAsStreamAsync(cancel);
                var buffer = new byte[1 << 16];
                long lastReport = -1;
                int n;
                while ((n = await input.ReadAsync(buffer, cancel)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, n), cancel);
                    hash.AppendData(buffer, 0, n);
                    md5.AppendData(buffer, 0, n);
                    received += n;
                    if (received - lastReport >= 1 << 20) { progress?.Report((file.FileName, received, total)); lastReport = received; }
                }
                progress?.Report((file.FileName, received, total));
                actual = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
                actualMd5 = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
            }
            if (total is long t && received != t)
                throw new IOException($"{file.Url}: the connection ended after {received} of {t} bytes; nothing was kept.");
            if (file.Sha256 != null && actual != file.Sha256.ToLowerInvariant())
                throw new InvalidDataException($"{file.Url}: expected SHA-256 {file.Sha256.ToLowerInvariant()}, got {actual} ({received} bytes); nothing was kept.");
            if (file.Md5 != null && actualMd5 != file.Md5.ToLowerInvariant())
                throw new InvalidDataException($"{file.Url}: expected MD5 {file.Md5.ToLowerInvariant()}, got {actualMd5} (SHA-256 {actual}, {received} bytes); nothing was kept.");
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

    static async Task<bool> MatchesAsync(string path, RemoteFile file, CancellationToken cancel)
    {
        await using var s = File.OpenRead(path);
        if (file.Sha256 != null) return Convert.ToHexString(await SHA256.HashDataAsync(s, cancel)).Equals(file.Sha256, StringComparison.OrdinalIgnoreCase);
        return Convert.ToHexString(await MD5.HashDataAsync(s, cancel)).Equals(file.Md5, StringComparison.OrdinalIgnoreCase);
    }
}
