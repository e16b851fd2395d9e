using System.Buffers;
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
/// <remarks>
/// Synchronous by design, because it is on every frame's path: the caller's thread writes the command and
/// blocks until a reading thread of the client's own hands it the answer. That is one thread wake-up a
/// command, where an asynchronous client took four thread-pool hops; and no async state machines, which
/// ReadyToRun cannot precompile and every job would compile again at run time. Commands may come from
/// several threads at once.
/// </remarks>
public sealed class QmpClient : IDisposable
{
    private const int EventBacklog = 1024;
    private static readonly TimeSpan ReaderJoinTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly Lock _writeLock = new();
    // Commands in flight: one or two at a time, so a list under a lock (a table keyed by a number is generic code
    // over a value type, which ReadyToRun cannot precompile).
    private readonly Lock _pendingLock = new();
    private readonly List<PendingCommand> _pending = [];
    private readonly PendingCommand _greeting = new("(greeting)", 0);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<QmpEvent> _events = Channel.CreateBounded<QmpEvent>(
        new BoundedChannelOptions(EventBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });

    private readonly Thread _readThread;
    private long _lastId;
    private volatile QmpException? _closedBecause;
    private int _disposed;

    private QmpClient(Socket socket, TimeSpan commandTimeout)
    {
        _socket = socket;
        _reader = new StreamReader(new NetworkStream(socket, ownsSocket: true), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        CommandTimeout = commandTimeout;
        _readThread = new Thread(ReadLoop) { IsBackground = true, Name = "qmp" };
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

    /// <summary>
    /// Connects, reads the greeting and leaves negotiation mode (<c>qmp_capabilities</c>), each within the command
    /// timeout. A socket nobody listens on yet is a <see cref="SocketException"/>, so a caller can try again.
    /// </summary>
    public static QmpClient Connect(string socketPath, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        QmpClient? client = null;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            client = new QmpClient(socket, commandTimeout);
            client._readThread.Start();
            client.Greeting = client._greeting.Wait(commandTimeout, cancellationToken);
            client.Execute("qmp_capabilities", null, cancellationToken);
            return client;
        }
        catch
        {
            if (client is not null)
            {
                client.Dispose();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs one command and returns its <c>return</c> value; QEMU's errors become <see cref="QmpException"/>.</summary>
    public JsonElement Execute(string command, JsonObject? arguments, CancellationToken cancellationToken) =>
        Execute(command, arguments, CommandTimeout, cancellationToken);

    /// <summary>Runs one command with a deadline of its own (a <c>quit</c> gets the grace period a stop allows).</summary>
    public JsonElement Execute(string command, JsonObject? arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (_closedBecause is { } closed)
        {
            throw new QmpException($"QMP command '{command}' not sent: {closed.Message}", closed);
        }

        var id = Interlocked.Increment(ref _lastId);
        var pending = new PendingCommand(command, id);
        lock (_pendingLock)
        {
            _pending.Add(pending);
        }

        try
        {
            // The reader may have ended between the check above and the registration.
            if (_closedBecause is { } closedNow)
            {
                throw new QmpException($"QMP command '{command}' not sent: {closedNow.Message}", closedNow);
            }

            Send(Serialize(command, arguments, id), command);
            return pending.Wait(timeout, cancellationToken);
        }
        finally
        {
            // An answer that comes after the deadline finds no one waiting and is dropped.
            TakePending(id);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // Wakes the reading thread out of its blocking read.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        if (_readThread.IsAlive && _readThread != Thread.CurrentThread)
        {
            _readThread.Join(ReaderJoinTimeout);
        }

        _reader.Dispose();
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

    private void Send(byte[] line, string command)
    {
        try
        {
            lock (_writeLock)
            {
                var sent = 0;
                while (sent < line.Length)
                {
                    sent += _socket.Send(line.AsSpan(sent), SocketFlags.None);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new QmpException($"QMP command '{command}' could not be sent: {e.Message}", e);
        }
    }

    private void ReadLoop()
    {
        QmpException reason;
        try
        {
            while (true)
            {
                var line = _reader.ReadLine();
                if (line is null)
                {
                    reason = Volatile.Read(ref _disposed) != 0
                        ? new QmpException("QMP connection closed by the runner")
                        : new QmpException("QMP connection closed by QEMU");
                    break;
                }

                if (line.Length > 0)
                {
                    Dispatch(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            reason = Volatile.Read(ref _disposed) != 0
                ? new QmpException("QMP connection closed by the runner")
                : new QmpException($"QMP connection lost: {e.Message}", e);
        }
        catch (JsonException e)
        {
            reason = new QmpException($"QMP protocol error: QEMU sent a line that is not JSON: {e.Message}", e);
        }

        _closedBecause = reason;
        _greeting.Fail(reason);
        PendingCommand[] unanswered;
        lock (_pendingLock)
        {
            unanswered = [.. _pending];
            _pending.Clear();
        }

        foreach (var pending in unanswered)
        {
            pending.Fail(new QmpException($"QMP command '{pending.Command}' got no answer: {reason.Message}", reason));
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
            _greeting.Succeed(greeting.Clone());
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
            && TakePending(id) is { } pending)
        {
            if (root.TryGetProperty("return", out var result))
            {
                pending.Succeed(result.Clone());
            }
            else if (root.TryGetProperty("error", out var error))
            {
                var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() : null;
                var description = error.TryGetProperty("desc", out var desc) ? desc.GetString() : error.GetRawText();
                pending.Fail(new QmpException($"QMP command '{pending.Command}' failed: {errorClass}: {description}")
                {
                    ErrorClass = errorClass ?? "unknown",
                });
            }
            else
            {
                pending.Fail(new QmpException($"QMP protocol error: answer to '{pending.Command}' has neither return nor error"));
            }
        }
    }

    /// <summary>Removes and returns the command waiting for the answer with this id, if any still waits.</summary>
    private PendingCommand? TakePending(long id)
    {
        lock (_pendingLock)
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                if (_pending[i].Id == id)
                {
                    var pending = _pending[i];
                    _pending.RemoveAt(i);
                    return pending;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// One command's answer, handed from the reading thread to the waiting one; the first outcome wins. Not a
    /// <c>TaskCompletionSource&lt;JsonElement&gt;</c>: that is generic code over a struct, compiled again by every job.
    /// </summary>
    private sealed class PendingCommand(string command, long id)
    {
        private readonly TaskCompletionSource _done = new();
        private JsonElement _result;
        private QmpException? _error;
        private int _completed;

        public string Command { get; } = command;

        public long Id { get; } = id;

        public void Succeed(JsonElement result)
        {
            if (Interlocked.Exchange(ref _completed, 1) == 0)
            {
                _result = result;
                _done.SetResult();
            }
        }

        public void Fail(QmpException error)
        {
            if (Interlocked.Exchange(ref _completed, 1) == 0)
            {
                _error = error;
                _done.SetResult();
            }
        }

        public JsonElement Wait(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!_done.Task.Wait(timeout, cancellationToken))
            {
                throw new QmpTimeoutException(Command, timeout);
            }

            return _error is { } error ? throw error : _result;
        }
    }
}
