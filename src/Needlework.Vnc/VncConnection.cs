using System.Net.Sockets;
using Needlework.Vnc.Decoding;
using Needlework.Vnc.Protocol;

namespace Needlework.Vnc;

/// <summary>
/// One TCP connection to a VNC server: the handshake, a receive loop that applies framebuffer updates and
/// keeps one incremental update request outstanding, and serialised writes. A <see cref="VncClient"/>
/// replaces it on reconnect; the framebuffer outlives it.
/// </summary>
internal sealed class VncConnection : IAsyncDisposable
{
    private const int MaxZrleLength = 64 << 20;

    private readonly VncClientOptions _options;
    private readonly TimeProvider _time;
    private readonly VncFramebuffer _framebuffer;
    private readonly NetworkStream _stream;
    private readonly RfbReader _reader;
    private readonly PixelCanvas _canvas;
    private readonly ZrleDecoder _zrle = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _firstUpdate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private long _lastRequestTimestamp;
    private VncException? _fault;

    private VncConnection(VncClientOptions options, TimeProvider time, VncFramebuffer framebuffer, NetworkStream stream, RfbReader reader, ServerInit init)
    {
        _options = options;
        _time = time;
        _framebuffer = framebuffer;
        _stream = stream;
        _reader = reader;
        Init = init;
        _canvas = new PixelCanvas(init.Width, init.Height);
        framebuffer.CopyInto(_canvas);
    }

    public ServerInit Init { get; }

    public VncException? Fault => Volatile.Read(ref _fault);

    /// <summary>Ends when the receive loop ends: after a failure (see <see cref="Fault"/>) or on dispose. Never faults.</summary>
    public Task Completion => _receiveLoop;

    private string Endpoint => $"{_options.Host}:{_options.Port}";

    /// <summary>Connects, shakes hands, asks for our pixel format and encodings, and waits for the first full screen.</summary>
    public static async Task<VncConnection> OpenAsync(VncClientOptions options, VncFramebuffer framebuffer, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        VncConnection? connection = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, linked.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = new RfbReader(stream, options.ReadTimeout, time);
            var init = await RfbHandshake.RunAsync(stream, reader, options, linked.Token).ConfigureAwait(false);
            connection = new VncConnection(options, time, framebuffer, stream, reader, init);
            await connection.StartAsync(linked.Token).ConfigureAwait(false);
            await connection._firstUpdate.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new VncException(
                    $"expected to connect to the VNC server at {options.Host}:{options.Port} and receive the first screen within {options.ConnectTimeout.TotalSeconds:0.###} s, but it took longer", ex);
            }

            if (ex is SocketException socketError)
            {
                throw new VncException($"expected a VNC server at {options.Host}:{options.Port}, but connecting failed: {socketError.Message}", ex);
            }

            if (ex is VncException vnc && !vnc.Message.Contains(options.Host, StringComparison.Ordinal))
            {
                throw new VncException($"VNC server at {options.Host}:{options.Port}: {vnc.Message}", vnc);
            }

            throw;
        }
    }

    public Task WriteAsync(byte[] message, CancellationToken cancellationToken) => WriteAsync(message, message.Length, cancellationToken);

    /// <summary>Sends one or more client messages as a single write; concurrent callers are serialised.</summary>
    public async Task WriteAsync(byte[] message, int length, CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = _stream.WriteAsync(message.AsMemory(0, length), cancellationToken).AsTask();
            try
            {
                await pending.WaitAsync(_options.ReadTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                RfbReader.Abandon(pending);
                throw Failed(new VncException($"expected the server to accept {length} bytes within {_options.ReadTimeout.TotalSeconds:0.###} s, but it stopped reading"));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                throw Failed(new VncException($"expected to send {length} bytes, but the connection failed: {ex.Message}", ex));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task RequestUpdateAsync(bool incremental, CancellationToken cancellationToken)
    {
        var message = new byte[ClientMessages.UpdateRequestLength];
        ClientMessages.UpdateRequest(message, incremental, 0, 0, _canvas.Width, _canvas.Height);
        _lastRequestTimestamp = _time.GetTimestamp();
        return WriteAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_lifetime.IsCancellationRequested)
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(false);
        _zrle.Dispose();
        _lifetime.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var encodings = RfbEncodings.For(_options.Encoding);
        var message = new byte[20 + 4 + (encodings.Length * 4) + ClientMessages.UpdateRequestLength];
        var length = ClientMessages.SetPixelFormat(message);
        length += ClientMessages.SetEncodings(message.AsSpan(length), encodings);
        length += ClientMessages.UpdateRequest(message.AsSpan(length), incremental: false, 0, 0, _canvas.Width, _canvas.Height);
        await WriteAsync(message, length, cancellationToken).ConfigureAwait(false);
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    private async Task ReceiveLoopAsync()
    {
        var cancellationToken = _lifetime.Token;
        try
        {
            while (true)
            {
                await WaitForMessageAsync(cancellationToken).ConfigureAwait(false);
                var type = _reader.ReadByte();
                switch (type)
                {
                    case 0:
                        await ReadFramebufferUpdateAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case 1:
                        await _reader.EnsureAsync(5, "the SetColourMapEntries header", cancellationToken).ConfigureAwait(false);
                        _reader.Skip(3);
                        await _reader.SkipAsync(_reader.ReadUInt16() * 6L, "the colour map entries", cancellationToken).ConfigureAwait(false);
                        break;
                    case 2:
                        break; // Bell: nothing to do.
                    case 3:
                        await SkipCutTextAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        throw new VncException($"expected a server message type (0-3), got {type}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _firstUpdate.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                var error = Failed(ex as VncException ?? new VncException($"the receive loop failed: {ex.Message}", ex));
                _firstUpdate.TrySetException(error);
                _ = _firstUpdate.Task.Exception;
                _framebuffer.FailWaiters(error);
            }
            else
            {
                _firstUpdate.TrySetCanceled(cancellationToken);
            }
        }
    }

    /// <summary>
    /// A still screen sends nothing, so silence is not yet an error: after a quiet spell the client asks for
    /// a one-pixel full update, which every server must answer, and only silence after that is fatal.
    /// </summary>
    private async Task WaitForMessageAsync(CancellationToken cancellationToken)
    {
        if (_reader.Buffered > 0)
        {
            return;
        }

        var fill = _reader.FillAsync(1, Timeout.InfiniteTimeSpan, "a server message", cancellationToken);
        try
        {
            await fill.WaitAsync(_options.IdleProbeInterval, _time, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
        }

        var probe = new byte[ClientMessages.UpdateRequestLength];
        ClientMessages.UpdateRequest(probe, incremental: false, 0, 0, 1, 1);
        await WriteAsync(probe, cancellationToken).ConfigureAwait(false);
        try
        {
            await fill.WaitAsync(_options.ReadTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RfbReader.Abandon(fill);
            var silence = _options.IdleProbeInterval + _options.ReadTimeout;
            throw new VncException(
                $"expected a reply to a framebuffer update request within {_options.ReadTimeout.TotalSeconds:0.###} s, but the server has sent nothing for {silence.TotalSeconds:0.###} s");
        }
    }

    private async Task ReadFramebufferUpdateAsync(CancellationToken cancellationToken)
    {
        await _reader.EnsureAsync(3, "the FramebufferUpdate header", cancellationToken).ConfigureAwait(false);
        _reader.Skip(1);
        int count = _reader.ReadUInt16();
        var top = int.MaxValue;
        var bottom = 0;
        var resized = false;
        for (var i = 0; i < count; i++)
        {
            await _reader.EnsureAsync(12, "a rectangle header", cancellationToken).ConfigureAwait(false);
            int x = _reader.ReadUInt16();
            int y = _reader.ReadUInt16();
            int width = _reader.ReadUInt16();
            int height = _reader.ReadUInt16();
            var encoding = _reader.ReadInt32();
            if (encoding == RfbEncodings.LastRect)
            {
                break;
            }

            if (encoding == RfbEncodings.DesktopSize)
            {
                if (width == 0 || height == 0)
                {
                    throw new VncException($"expected a new desktop size, got {width}x{height}");
                }

                _canvas.Resize(width, height);
                resized = true;
                (top, bottom) = (0, height);
                continue;
            }

            if (!_canvas.Contains(x, y, width, height))
            {
                throw new VncException(
                    $"expected rectangles inside the {_canvas.Width}x{_canvas.Height} framebuffer, got {width}x{height} at ({x},{y}) in encoding {encoding}");
            }

            switch (encoding)
            {
                case RfbEncodings.Raw:
                    await ReadRawAsync(x, y, width, height, cancellationToken).ConfigureAwait(false);
                    break;
                case RfbEncodings.CopyRect:
                    await _reader.EnsureAsync(4, "the CopyRect source position", cancellationToken).ConfigureAwait(false);
                    int sourceX = _reader.ReadUInt16();
                    int sourceY = _reader.ReadUInt16();
                    if (!_canvas.Contains(sourceX, sourceY, width, height))
                    {
                        throw new VncException($"expected a CopyRect source inside the framebuffer, got {width}x{height} at ({sourceX},{sourceY})");
                    }

                    _canvas.CopyRectangle(sourceX, sourceY, x, y, width, height);
                    break;
                case RfbEncodings.Zrle:
                    await ReadZrleAsync(x, y, width, height, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new VncException(
                        $"expected one of the encodings this client asked for ({string.Join(", ", RfbEncodings.For(_options.Encoding))}), got rectangle encoding {encoding}");
            }

            if (width > 0 && height > 0)
            {
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y + height);
            }
        }

        _framebuffer.Publish(_canvas, Math.Min(top, bottom), bottom);
        _firstUpdate.TrySetResult();
        await RequestNextUpdateAsync(incremental: !resized, cancellationToken).ConfigureAwait(false);
    }

    private async Task RequestNextUpdateAsync(bool incremental, CancellationToken cancellationToken)
    {
        var wait = _options.MinUpdateInterval - _time.GetElapsedTime(_lastRequestTimestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        await RequestUpdateAsync(incremental, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadRawAsync(int x, int y, int width, int height, CancellationToken cancellationToken)
    {
        if (width == 0)
        {
            return;
        }

        var rowBytes = width * 4;
        var rowsPerRead = Math.Max(1, _reader.Capacity / rowBytes);
        for (var row = 0; row < height;)
        {
            var rows = Math.Min(rowsPerRead, height - row);
            await _reader.EnsureAsync(rows * rowBytes, "Raw rectangle pixels", cancellationToken).ConfigureAwait(false);
            for (var end = row + rows; row < end; row++)
            {
                RawPixels.ConvertRow(_reader.ReadSpan(rowBytes), _canvas.RowSpan(x, y + row, width));
            }
        }
    }

    private async Task ReadZrleAsync(int x, int y, int width, int height, CancellationToken cancellationToken)
    {
        await _reader.EnsureAsync(4, "the ZRLE data length", cancellationToken).ConfigureAwait(false);
        var length = _reader.ReadUInt32();
        if (length > MaxZrleLength)
        {
            throw new VncException($"expected ZRLE data of at most {MaxZrleLength} bytes, the server announces {length}");
        }

        for (var remaining = (int)length; remaining > 0;)
        {
            var piece = Math.Min(remaining, _reader.Capacity);
            await _reader.EnsureAsync(piece, "ZRLE rectangle data", cancellationToken).ConfigureAwait(false);
            _zrle.Append(_reader.ReadSpan(piece));
            remaining -= piece;
        }

        _zrle.DecodeRectangle(_canvas, x, y, width, height);
    }

    private async Task SkipCutTextAsync(CancellationToken cancellationToken)
    {
        await _reader.EnsureAsync(7, "the ServerCutText header", cancellationToken).ConfigureAwait(false);
        _reader.Skip(3);
        var length = _reader.ReadUInt32();
        if (length > (uint)_options.MaxTextLength)
        {
            throw new VncException($"expected ServerCutText of at most {_options.MaxTextLength} bytes, the server announces {length}");
        }

        await _reader.SkipAsync(length, "the ServerCutText text", cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfFaulted()
    {
        if (Fault is { } fault)
        {
            throw new VncException(fault.Message, fault);
        }
    }

    /// <summary>Records the first failure with the server's address, so every later call reports the same cause.</summary>
    private VncException Failed(VncException error)
    {
        var withEndpoint = error.Message.Contains(Endpoint, StringComparison.Ordinal)
            ? error
            : new VncException($"VNC connection to {Endpoint} failed: {error.Message}", error);
        Interlocked.CompareExchange(ref _fault, withEndpoint, null);
        return Fault!;
    }
}
