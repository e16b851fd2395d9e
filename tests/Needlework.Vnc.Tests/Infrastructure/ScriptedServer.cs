using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Needlework.Vnc.Tests.Infrastructure;

/// <summary>
/// A loopback server that plays a hand-written script against one client, to produce what real servers
/// rarely do: wrong greetings, truncated messages, silence, unknown messages.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public ScriptedServer(Func<NetworkStream, CancellationToken, Task> script)
    {
        _listener.Start();
        _run = RunAsync(script);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public VncClientOptions ClientOptions => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReadTimeout = TimeSpan.FromMilliseconds(500),
        IdleProbeInterval = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>RFB 3.8, security None, ServerInit for a screen of the given size; then reads the client's setup messages.</summary>
    public static async Task HandshakeAsync(NetworkStream stream, int width, int height, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
        await ReadExactlyAsync(stream, 12, cancellationToken);
        await stream.WriteAsync(new byte[] { 1, 1 }, cancellationToken);
        await ReadExactlyAsync(stream, 1, cancellationToken);
        await stream.WriteAsync(new byte[4], cancellationToken);
        await ReadExactlyAsync(stream, 1, cancellationToken);
        var init = new byte[24 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(init, (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), (ushort)height);
        init[4] = 32;
        init[5] = 24;
        init[7] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(20), 4);
        Encoding.ASCII.GetBytes("test").CopyTo(init, 24);
        await stream.WriteAsync(init, cancellationToken);
        // SetPixelFormat (20), SetEncodings (4 + 4 x 5 for ZRLE preference), FramebufferUpdateRequest (10).
        await ReadExactlyAsync(stream, 20 + 24 + 10, cancellationToken);
    }

    public static ValueTask SendAsync(NetworkStream stream, byte[] data, CancellationToken cancellationToken) =>
        stream.WriteAsync(data, cancellationToken);

    public static byte[] UpdateHeader(int rectangles) => [0, 0, (byte)(rectangles >> 8), (byte)rectangles];

    public static byte[] Rectangle(int x, int y, int width, int height, int encoding)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)height);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), encoding);
        return header;
    }

    public static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <summary>Keeps the connection open without answering, until the test ends.</summary>
    public static async Task HoldAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var sink = new byte[1024];
        while (await stream.ReadAsync(sink, cancellationToken) > 0)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _run;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away first, or the test ended while the script waited.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<NetworkStream, CancellationToken, Task> script)
    {
        using var socket = await _listener.AcceptSocketAsync(_stop.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await script(stream, _stop.Token);
        socket.Shutdown(SocketShutdown.Both);
    }
}
