using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using FluentAssertions;
using SslCourse.Data;
using Xunit;

namespace SslCourse.Tests.Data;

public class DownloadTests
{
    /// <summary>A tiny HTTP server on 127.0.0.1 (ephemeral port): "/good" serves the payload, "/cut" announces the full
    /// length but closes after half of it. Stops when disposed.</summary>
    sealed class TinyServer : IDisposable
    {
        readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        readonly CancellationTokenSource _stop = new();
        readonly byte[] _payload;
        public string Base { get; }

        public TinyServer(byte[] payload)
        {
            _payload = payload;
            _listener.Start();
            Base = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _ = Task.Run(Serve);
        }

        async Task Serve()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); } catch { return; }
                using (client)
                {
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII);
                    var request = await reader.ReadLineAsync() ?? "";
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                    bool cut = request.Contains("/cut");
                    var header = $"HTTP/1.1 200 OK\r\nContent-Length: {_payload.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
                    await stream.WriteAsync(_payload.AsMemory(0, cut ? _payload.Length / 2 : _payload.Length));
                    await stream.FlushAsync();
                }
            }
        }

        public void Dispose() { _stop.Cancel(); _listener.Stop(); }
    }

    [Fact]
    public async Task Downloads_verify_the_checksum_and_never_leave_partial_files()
    {
        var payload = new byte[300_000];
        new Random(1).NextBytes(payload);
        var sha = Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant();
        using var server = new TinyServer(payload);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var dir = Repo.TempDir("download");
        var reports = new List<long>();
        var progress = new SyncProgress(r => reports.Add(r.Bytes));

        var path = await Download.FileAsync(new RemoteFile($"{server.Base}/good", "good.bin", sha), dir, progress, http);
        File.ReadAllBytes(path).Should().Equal(payload);
        reports.Should().NotBeEmpty().And.Contain(payload.Length);

        var wrong = () => Download.FileAsync(new RemoteFile($"{server.Base}/good", "wrong.bin", new string('0', 64)), dir, null, http);
        (await wrong.Should().ThrowAsync<InvalidDataException>()).WithMessage($"*expected SHA-256 {new string('0', 64)}, got {sha}*");

        var cut = () => Download.FileAsync(new RemoteFile($"{server.Base}/cut", "cut.bin", sha), dir, null, http);
        await cut.Should().ThrowAsync<IOException>();

        Directory.GetFiles(dir).Select(Path.GetFileName).Should().Equal("good.bin");
        // a file already in place with the right checksum is not fetched again (the server is gone)
        server.Dispose();
        (await Download.FileAsync(new RemoteFile($"{server.Base}/good", "good.bin", sha), dir, null, http)).Should().Be(path);
    }

    sealed class SyncProgress(Action<(string File, long Bytes, long? Total)> report) : IProgress<(string File, long Bytes, long? Total)>
    {
        public void Report((string File, long Bytes, long? Total) value) => report(value);
    }
}
