using System.Diagnostics;
using System.IO.Compression;
using Needlework.Vnc.Protocol;
using Needlework.Vnc.Tests.Infrastructure;
using static Needlework.Vnc.Tests.Infrastructure.ScriptedServer;

namespace Needlework.Vnc.Tests.Unit;

/// <summary>Broken, truncated and silent servers, scripted on loopback: each gives a clear error in time.</summary>
public sealed class ProtocolViolationTests
{
    [Fact(Timeout = 20_000)]
    public async Task NotAVncServer_SaysSo()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), ct);
            await HoldAsync(s, ct);
        });
        await using var client = new VncClient(server.ClientOptions);

        var error = await Assert.ThrowsAsync<VncException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Contains("expected an RFB ProtocolVersion greeting", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 400", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task SilentAfterGreeting_TimesOutWithinTheReadTimeout()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("RFB 003.008\n"u8.ToArray(), ct);
            await HoldAsync(s, ct);
        });
        await using var client = new VncClient(server.ClientOptions);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<VncException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.Contains("expected the number of security types", error.Message, StringComparison.Ordinal);
        Assert.Contains("sent 0 bytes and then nothing for 0.5 s", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task ClosedDuringServerInit_SaysWhatWasMissing()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("RFB 003.008\n"u8.ToArray(), ct);
            await ReadExactlyAsync(s, 12, ct);
            await s.WriteAsync(new byte[] { 1, 1 }, ct);
            await ReadExactlyAsync(s, 1, ct);
            await s.WriteAsync(new byte[4], ct);
            await ReadExactlyAsync(s, 1, ct);
            await s.WriteAsync(new byte[] { 4, 0, 3 }, ct);
        });
        await using var client = new VncClient(server.ClientOptions);

        var error = await Assert.ThrowsAsync<VncException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Contains("expected the ServerInit message (24 bytes) but the server closed the connection after 3 of them", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task RefusedConnection_SaysSo()
    {
        int port;
        await using (var server = new ScriptedServer((_, _) => Task.CompletedTask))
        {
            port = server.Port;
        }

        await using var client = new VncClient(new VncClientOptions { Port = port, ConnectTimeout = TimeSpan.FromSeconds(2) });
        var error = await Assert.ThrowsAsync<VncException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Contains($"expected a VNC server at 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task Rfb33_RawCopyRectDesktopSizeZrleAndLastRect_AreApplied()
    {
        var go = new TaskCompletionSource();
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("RFB 003.003\n"u8.ToArray(), ct);
            Assert.Equal("RFB 003.003\n"u8.ToArray(), await ReadExactlyAsync(s, 12, ct));
            await s.WriteAsync(new byte[] { 0, 0, 0, 1 }, ct); // security None, 3.3 style: no SecurityResult follows
            await ReadExactlyAsync(s, 1, ct);
            byte[] init = [0, 2, 0, 1, .. new byte[16], 0, 0, 0, 0];
            await s.WriteAsync(init, ct);
            await ReadExactlyAsync(s, 20 + 24 + 10, ct);

            // 2x1 screen: Raw red, blue; then CopyRect of the red pixel over the blue one.
            await SendAsync(s,
                [.. UpdateHeader(2), .. Rectangle(0, 0, 2, 1, 0), 255, 0, 0, 0, 0, 0, 255, 0, .. Rectangle(1, 0, 1, 1, 1), 0, 0, 0, 0],
                ct);
            await ReadExactlyAsync(s, 10, ct);
            await go.Task.WaitAsync(ct);

            // Resize to 3x2, fill it with one solid ZRLE tile, then a second ZRLE rectangle on the same zlib stream,
            // then LastRect although 10 rectangles were announced.
            using var compressed = new MemoryStream();
            using var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true);
            var first = ZrleTilesTests.Compress(zlib, compressed, [1, 0, 255, 0]);
            var second = ZrleTilesTests.Compress(zlib, compressed, [1, 9, 8, 7]);
            await SendAsync(s,
                [
                    .. UpdateHeader(10), .. Rectangle(0, 0, 3, 2, RfbEncodings.DesktopSize),
                    .. Rectangle(0, 0, 3, 2, 16), 0, 0, 0, (byte)first.Length, .. first,
                    .. Rectangle(2, 1, 1, 1, 16), 0, 0, 0, (byte)second.Length, .. second,
                    .. Rectangle(0, 0, 0, 0, RfbEncodings.LastRect),
                ],
                ct);
            await HoldAsync(s, ct);
        });
        await using var client = new VncClient(server.ClientOptions with { IdleProbeInterval = TimeSpan.FromSeconds(5) });

        await client.ConnectAsync(CancellationToken.None);

        Assert.Equal("3.3", client.ProtocolVersion);
        Assert.Equal([255, 0, 0, 255, 0, 0], client.Framebuffer.Snapshot().ReadOnlyPixels.ToArray());
        go.SetResult();
        await client.Framebuffer.WaitForUpdateAsync(1, CancellationToken.None);
        var frame = client.Framebuffer.Snapshot();
        Assert.Equal((3, 2), (frame.Width, frame.Height));
        Assert.Equal([0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 9, 8, 7], frame.ReadOnlyPixels.ToArray());
        Assert.True(client.IsConnected);
    }

    [Fact(Timeout = 20_000)]
    public async Task TruncatedRawRectangle_FaultsTheConnection_AndFailsWaiters()
    {
        var go = new TaskCompletionSource();
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await HandshakeAsync(s, 2, 2, ct);
            await SendAsync(s,[.. UpdateHeader(1), .. Rectangle(0, 0, 2, 2, 0), .. new byte[16]], ct);
            await go.Task.WaitAsync(ct);
            await SendAsync(s,[.. UpdateHeader(1), .. Rectangle(0, 0, 2, 2, 0), .. new byte[10]], ct);
        });
        await using var client = new VncClient(server.ClientOptions);
        await client.ConnectAsync(CancellationToken.None);
        var waiter = client.Framebuffer.WaitForUpdateAsync(5, CancellationToken.None);

        go.SetResult();
        await client.Completion;

        Assert.NotNull(client.Fault);
        Assert.Contains("expected Raw rectangle pixels (16 bytes) but the server closed the connection after 10 of them", client.Fault.Message, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<VncException>(() => waiter);
        Assert.Same(client.Fault, error);
    }

    [Theory(Timeout = 20_000)]
    [InlineData(new byte[] { 7 }, "expected a server message type (0-3), got 7")]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 5 }, "expected one of the encodings this client asked for")]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0 }, "expected rectangles inside the 2x2 framebuffer, got 2x1 at (1,0)")]
    [InlineData(new byte[] { 3, 0, 0, 0, 0x7f, 0, 0, 0 }, "expected ServerCutText of at most")]
    public async Task ProtocolViolationAfterConnect_FaultsTheConnectionWithAClearError(byte[] message, string expected)
    {
        var go = new TaskCompletionSource();
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await HandshakeAsync(s, 2, 2, ct);
            await SendAsync(s,[.. UpdateHeader(1), .. Rectangle(0, 0, 2, 2, 0), .. new byte[16]], ct);
            await go.Task.WaitAsync(ct);
            await s.WriteAsync(message, ct);
            await HoldAsync(s, ct);
        });
        await using var client = new VncClient(server.ClientOptions);
        await client.ConnectAsync(CancellationToken.None);

        go.SetResult();
        await client.Completion;

        Assert.NotNull(client.Fault);
        Assert.Contains(expected, client.Fault.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}", client.Fault.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task SilentAfterConnect_IsProbed_ThenDeclaredDead()
    {
        var probe = new TaskCompletionSource<byte[]>();
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await HandshakeAsync(s, 2, 2, ct);
            await SendAsync(s,[.. UpdateHeader(1), .. Rectangle(0, 0, 2, 2, 0), .. new byte[16]], ct);
            await ReadExactlyAsync(s, 10, ct); // the incremental request after the update
            probe.SetResult(await ReadExactlyAsync(s, 10, ct));
            await HoldAsync(s, ct);
        });
        await using var client = new VncClient(server.ClientOptions);
        await client.ConnectAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();

        await client.Completion;

        Assert.Equal([3, 0, 0, 0, 0, 0, 0, 1, 0, 1], await probe.Task); // non-incremental 1x1 request
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(3));
        Assert.Contains("expected a reply to a framebuffer update request within 0.5 s", client.Fault!.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task KeysAndPointer_AreSentAsRfbEvents_CombosReleasedInReverse()
    {
        var received = new TaskCompletionSource<byte[]>();
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await HandshakeAsync(s, 2, 2, ct);
            await SendAsync(s,[.. UpdateHeader(1), .. Rectangle(0, 0, 2, 2, 0), .. new byte[16]], ct);
            await ReadExactlyAsync(s, 10, ct);
            received.SetResult(await ReadExactlyAsync(s, (6 * 8) + (2 * 8) + 6 + (4 * 6), ct));
            await HoldAsync(s, ct);
        });
        await using var client = new VncClient(server.ClientOptions with { IdleProbeInterval = TimeSpan.FromSeconds(10) });
        await client.ConnectAsync(CancellationToken.None);

        await client.SendKeyAsync("ctrl-alt-delete", CancellationToken.None);
        await client.TypeStringAsync("a", CancellationToken.None);
        await client.MovePointerAsync(300, 2, CancellationToken.None);
        await client.DoubleClickAsync(MouseButton.Right, CancellationToken.None);

        byte[] expected =
        [
            4, 1, 0, 0, 0, 0, 0xff, 0xe3, 4, 1, 0, 0, 0, 0, 0xff, 0xe9, 4, 1, 0, 0, 0, 0, 0xff, 0xff,
            4, 0, 0, 0, 0, 0, 0xff, 0xff, 4, 0, 0, 0, 0, 0, 0xff, 0xe9, 4, 0, 0, 0, 0, 0, 0xff, 0xe3,
            4, 1, 0, 0, 0, 0, 0, 0x61, 4, 0, 0, 0, 0, 0, 0, 0x61,
            5, 0, 1, 44, 0, 2,
            5, 4, 1, 44, 0, 2, 5, 0, 1, 44, 0, 2, 5, 4, 1, 44, 0, 2, 5, 0, 1, 44, 0, 2,
        ];
        Assert.Equal(expected, await received.Task);
    }
}
