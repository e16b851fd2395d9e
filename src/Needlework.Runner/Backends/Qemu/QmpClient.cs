using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// A QEMU Machine Protocol client over a Unix socket: one JSON object per line, commands matched to
/// their answers by id, events delivered as they come. Every command has a deadline, so a QEMU that
/// stops answering (stopped, hung, starved) is a <see cref="QmpTimeoutException"/>, never a hang.
/// </summary>
public sealed class QmpClient : IAsyncDisposable
{
    private const int EventBacklog = 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PendingCommand> _pending = new();
    private readonly TaskCompletionSource<JsonElement> _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopReading = new();
    private readonly Channel<QmpEvent> _events = Channel.CreateBounded<QmpEvent>(
        new BoundedChannelOptions(EventBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });

    private Task _readLoop = Task.CompletedTask;
    private long _lastId;
    private volatile QmpException? _closedBecause;
    private int _disposed;

    private QmpClient(Socket socket, TimeSpan commandTimeout, TimeProvider time)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        CommandTimeout = commandTimeout;
        _time = time;
    }

    /// <summary>Raised on the reading thread for every event, before it is queued on <see cref="Events"/>; handlers must be quick and must not throw.</summary>
    public event EventHandler<QmpEvent>? EventReceived;

    /// <summary>Deadline of every command, from sending to answer.</summary>
    public TimeSpan CommandTimeout { get; }

    /// <summary>QEMU's greeting (its version and capabilities).</summary>
    public JsonElement Greeting { get; private set; }

    /// <summary>Events in arrival order; the oldest are dropped when nobody reads them. Completes when the connection ends.</summary>
    public ChannelReader<QmpEvent> Events => _events.Reader;

    /// <summary>Completes when the connection has ended (QEMU exited or closed it, or this client was disposed).</summary>
    public Task Completion => _closed.Task;

    public bool IsConnected => _closedBecause is null;

    /// <summary>Connects, reads the greeting and leaves negotiation mode (<c>qmp_capabilities</c>), all within the command timeout.</summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, TimeSpan commandTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        QmpClient? client = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken)
                .AsTask().WaitAsync(commandTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            client = new QmpClient(socket, commandTimeout, timeProvider);
            client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            try
            {
                client.Greeting = await client._greeting.Task.WaitAsync(commandTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new QmpTimeoutException("(greeting)", commandTimeout);
            }

            await client.ExecuteAsync("qmp_capabilities", null, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs one command and returns its <c>return</c> value; QEMU's errors become <see cref="QmpException"/>.</summary>
    public async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (_closedBecause is { } closed)
        {
            throw new QmpException($"QMP command '{command}' not sent: {closed.Message}", closed);
        }

        var id = Interlocked.Increment(ref _lastId);
        var pending = new PendingCommand(command);
        _pending[id] = pending;
        try
        {
            // The reader may have ended between the check above and the registration.
            if (_closedBecause is { } closedNow)
            {
                throw new QmpException($"QMP command '{command}' not sent: {closedNow.Message}", closedNow);
            }

            var line = Serialize(command, arguments, id);
            return await SendAndAwaitAsync(line, pending, cancellationToken)
                .WaitAsync(CommandTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new QmpTimeoutException(command, CommandTimeout);
        }
        finally
        {
            // An answer that comes after the deadline finds no one waiting and is dropped.
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopReading.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loop records its own end; nothing more to report while disposing.
        }

        _reader.Dispose();
        _stopReading.Dispose();
        _writeLock.Dispose();
    }

    private static byte[] Serialize(string command, JsonObject? arguments, long id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (arguments is not null)
            {
                writer.WritePropertyName("arguments");
                arguments.WriteTo(writer);
            }

            writer.WriteNumber("id", id);
            writer.WriteEndObject();
        }

        var line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    private async Task<JsonElement> SendAndAwaitAsync(byte[] line, PendingCommand pending, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new QmpException($"QMP command '{pending.Command}' could not be sent: {e.Message}", e);
        }
        finally
        {
            _writeLock.Release();
        }

        return await pending.Answer.Task.ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        QmpException reason;
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(_stopReading.Token).ConfigureAwait(false);
                if (line is null)
                {
                    reason = new QmpException("QMP connection closed by QEMU");
                    break;
                }

                if (line.Length > 0)
                {
                    Dispatch(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = new QmpException("QMP connection closed by the runner");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            reason = new QmpException($"QMP connection lost: {e.Message}", e);
        }
        catch (JsonException e)
        {
            reason = new QmpException($"QMP protocol error: QEMU sent a line that is not JSON: {e.Message}", e);
        }

        _closedBecause = reason;
        _greeting.TrySetException(reason);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Answer.TrySetException(new QmpException($"QMP command '{pending.Command}' got no answer: {reason.Message}", reason));
            }
        }

        _events.Writer.TryComplete();
        _closed.TrySetResult();
    }

    private void Dispatch(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"expected an object, got {root.ValueKind}");
        }

        if (root.TryGetProperty("QMP", out var greeting))
        {
            _greeting.TrySetResult(greeting.Clone());
        }
        else if (root.TryGetProperty("event", out var name))
        {
            var timestamp = DateTimeOffset.UnixEpoch;
            if (root.TryGetProperty("timestamp", out var ts)
                && ts.TryGetProperty("seconds", out var seconds) && ts.TryGetProperty("microseconds", out var micros))
            {
                timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds.GetInt64()).AddTicks(micros.GetInt64() * 10);
            }

            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            var qmpEvent = new QmpEvent(name.GetString() ?? "", timestamp, data);
            EventReceived?.Invoke(this, qmpEvent);
            _events.Writer.TryWrite(qmpEvent);
        }
        else if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var id)
            && _pending.TryRemove(id, out var pending))
        {
            if (root.TryGetProperty("return", out var result))
            {
                pending.Answer.TrySetResult(result.Clone());
            }
            else if (root.TryGetProperty("error", out var error))
            {
                var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() : null;
                var description = error.TryGetProperty("desc", out var desc) ? desc.GetString() : error.GetRawText();
                pending.Answer.TrySetException(new QmpException($"QMP command '{pending.Command}' failed: {errorClass}: {description}")
                {
                    ErrorClass = errorClass ?? "unknown",
                });
            }
            else
            {
                pending.Answer.TrySetException(new QmpException($"QMP protocol error: answer to '{pending.Command}' has neither return nor error"));
            }
        }
    }

    private sealed class PendingCommand(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<JsonElement> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
