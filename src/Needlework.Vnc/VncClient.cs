using Needlework.Vnc.Input;
using Needlework.Vnc.Protocol;

namespace Needlework.Vnc;

/// <summary>
/// An RFB (VNC) client for driving a system under test: keeps <see cref="Framebuffer"/> current through
/// incremental updates, sends keys and pointer events, and turns every failure (refused, closed, silent or
/// broken server) into a <see cref="VncException"/> within the configured timeouts. A lost connection can be
/// replaced with <see cref="ReconnectAsync"/>; the framebuffer, its counters and the pointer position stay.
/// </summary>
public sealed class VncClient : IAsyncDisposable
{
    private readonly VncClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private VncConnection? _connection;
    private int _pointerX;
    private int _pointerY;
    private byte _buttonMask;
    private bool _disposed;

    public VncClient(VncClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        Framebuffer = new VncFramebuffer(_time);
    }

    public VncClientOptions Options => _options;

    /// <summary>The remote screen; the same object across reconnects.</summary>
    public VncFramebuffer Framebuffer { get; }

    /// <summary>The desktop name the server announced; empty before the first connection.</summary>
    public string DesktopName => Volatile.Read(ref _connection)?.Init.Name ?? string.Empty;

    /// <summary>The negotiated RFB version, "3.3", "3.7" or "3.8"; empty before the first connection.</summary>
    public string ProtocolVersion => Volatile.Read(ref _connection) is { } c ? $"3.{c.Init.MinorVersion}" : string.Empty;

    /// <summary>True while a connection is open and has not failed.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is { Fault: null };

    /// <summary>Why the current connection failed, or null while it is healthy (or none was opened).</summary>
    public VncException? Fault => Volatile.Read(ref _connection)?.Fault;

    /// <summary>Completes when the current connection's receive loop ends (failure or dispose); never faults.</summary>
    public Task Completion => Volatile.Read(ref _connection)?.Completion ?? Task.CompletedTask;

    /// <summary>
    /// Connects, authenticates, and returns once the first full screen is in <see cref="Framebuffer"/>,
    /// all within <see cref="VncClientOptions.ConnectTimeout"/>.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is not null)
            {
                throw new InvalidOperationException("already connected; use ReconnectAsync to replace the connection");
            }

            Volatile.Write(ref _connection, await VncConnection.OpenAsync(_options, Framebuffer, _time, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>
    /// Closes the current connection (healthy or not) and connects again, retrying refused or failed attempts
    /// every <see cref="VncClientOptions.ReconnectRetryInterval"/> for up to <see cref="VncClientOptions.ReconnectTimeout"/>
    /// (a restarting server needs a moment to listen). Pressed buttons are pressed again at the old position.
    /// </summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Interlocked.Exchange(ref _connection, null) is { } old)
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }

            var started = _time.GetTimestamp();
            var attempts = 0;
            while (true)
            {
                attempts++;
                try
                {
                    Volatile.Write(ref _connection, await VncConnection.OpenAsync(_options, Framebuffer, _time, cancellationToken).ConfigureAwait(false));
                    break;
                }
                catch (VncException ex) when (_time.GetElapsedTime(started) + _options.ReconnectRetryInterval < _options.ReconnectTimeout)
                {
                    _ = ex; // retried: the server may still be starting
                }
                catch (VncException ex)
                {
                    throw new VncException(
                        $"expected to reconnect to {_options.Host}:{_options.Port} within {_options.ReconnectTimeout.TotalSeconds:0.###} s, but {attempts} attempts failed; last: {ex.Message}", ex);
                }

                await Task.Delay(_options.ReconnectRetryInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _connectLock.Release();
        }

        await SendPointerAsync(_buttonMask, _pointerX, _pointerY, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for the whole screen again (non-incremental update), e.g. to resynchronise after doubt.</summary>
    public Task RequestFullUpdateAsync(CancellationToken cancellationToken) =>
        Current().RequestUpdateAsync(incremental: false, cancellationToken);

    /// <summary>Presses and releases a key or combination by name: <c>ret</c>, <c>ctrl-alt-delete</c>, <c>shift-tab</c>, <c>A</c>.</summary>
    public Task SendKeyAsync(string key, CancellationToken cancellationToken) => SendKeyComboAsync(KeyMapper.Map(key), cancellationToken);

    /// <summary>Presses the keysyms in order and releases them in reverse, in one write so nothing interleaves.</summary>
    public Task SendKeyComboAsync(KeyCombo combo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(combo);
        var keysyms = combo.Keysyms;
        var message = new byte[keysyms.Count * 2 * ClientMessages.KeyEventLength];
        var length = 0;
        for (var i = 0; i < keysyms.Count; i++)
        {
            length += ClientMessages.KeyEvent(message.AsSpan(length), keysyms[i], down: true);
        }

        for (var i = keysyms.Count - 1; i >= 0; i--)
        {
            length += ClientMessages.KeyEvent(message.AsSpan(length), keysyms[i], down: false);
        }

        return Current().WriteAsync(message, length, cancellationToken);
    }

    /// <summary>Types text key by key (upper case and shifted symbols with shift), pausing <see cref="VncClientOptions.KeyInterval"/> between keys.</summary>
    public async Task TypeStringAsync(string text, CancellationToken cancellationToken)
    {
        foreach (var combo in KeyMapper.MapText(text))
        {
            await SendKeyComboAsync(combo, cancellationToken).ConfigureAwait(false);
            if (_options.KeyInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.KeyInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task KeyDownAsync(uint keysym, CancellationToken cancellationToken) => SendKeyEventAsync(keysym, down: true, cancellationToken);

    public Task KeyUpAsync(uint keysym, CancellationToken cancellationToken) => SendKeyEventAsync(keysym, down: false, cancellationToken);

    /// <summary>Moves the pointer, keeping pressed buttons pressed (a drag when one is).</summary>
    public Task MovePointerAsync(int x, int y, CancellationToken cancellationToken)
    {
        _pointerX = x;
        _pointerY = y;
        return SendPointerAsync(_buttonMask, x, y, cancellationToken);
    }

    public Task PressButtonAsync(MouseButton button, CancellationToken cancellationToken)
    {
        _buttonMask |= Bit(button);
        return SendPointerAsync(_buttonMask, _pointerX, _pointerY, cancellationToken);
    }

    public Task ReleaseButtonAsync(MouseButton button, CancellationToken cancellationToken)
    {
        _buttonMask &= (byte)~Bit(button);
        return SendPointerAsync(_buttonMask, _pointerX, _pointerY, cancellationToken);
    }

    /// <summary>Presses and releases a button at the current pointer position.</summary>
    public Task ClickAsync(MouseButton button, CancellationToken cancellationToken) => ClickAsync(button, 1, cancellationToken);

    public Task DoubleClickAsync(MouseButton button, CancellationToken cancellationToken) => ClickAsync(button, 2, cancellationToken);

    /// <summary>Moves to the start, presses, moves to the end in a few steps (toolkits ignore jumps), and releases.</summary>
    public async Task DragAsync(int fromX, int fromY, int toX, int toY, MouseButton button, CancellationToken cancellationToken)
    {
        const int Steps = 8;
        await MovePointerAsync(fromX, fromY, cancellationToken).ConfigureAwait(false);
        await PressButtonAsync(button, cancellationToken).ConfigureAwait(false);
        for (var step = 1; step <= Steps; step++)
        {
            await MovePointerAsync(fromX + ((toX - fromX) * step / Steps), fromY + ((toY - fromY) * step / Steps), cancellationToken).ConfigureAwait(false);
        }

        await ReleaseButtonAsync(button, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (Interlocked.Exchange(ref _connection, null) is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            Framebuffer.FailWaiters(new ObjectDisposedException(nameof(VncClient), "the VNC client was disposed"));
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task ClickAsync(MouseButton button, int times, CancellationToken cancellationToken)
    {
        var bit = Bit(button);
        var message = new byte[times * 2 * ClientMessages.PointerEventLength];
        var length = 0;
        for (var i = 0; i < times; i++)
        {
            length += ClientMessages.PointerEvent(message.AsSpan(length), (byte)(_buttonMask | bit), _pointerX, _pointerY);
            length += ClientMessages.PointerEvent(message.AsSpan(length), (byte)(_buttonMask & ~bit), _pointerX, _pointerY);
        }

        await Current().WriteAsync(message, length, cancellationToken).ConfigureAwait(false);
    }

    private Task SendKeyEventAsync(uint keysym, bool down, CancellationToken cancellationToken)
    {
        var message = new byte[ClientMessages.KeyEventLength];
        ClientMessages.KeyEvent(message, keysym, down);
        return Current().WriteAsync(message, cancellationToken);
    }

    private Task SendPointerAsync(byte mask, int x, int y, CancellationToken cancellationToken)
    {
        var message = new byte[ClientMessages.PointerEventLength];
        ClientMessages.PointerEvent(message, mask, Math.Clamp(x, 0, ushort.MaxValue), Math.Clamp(y, 0, ushort.MaxValue));
        return Current().WriteAsync(message, cancellationToken);
    }

    private static byte Bit(MouseButton button) => button is >= MouseButton.Left and <= MouseButton.Right
        ? (byte)(1 << ((int)button - 1))
        : throw new ArgumentOutOfRangeException(nameof(button), button, "expected button 1, 2 or 3");

    private VncConnection Current()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Volatile.Read(ref _connection) ?? throw new InvalidOperationException("not connected: call ConnectAsync first");
    }
}
