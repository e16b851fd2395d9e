using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Needlework.Worker.Configuration;

namespace Needlework.Worker.WebUi;

/// <summary>
/// Keeps the worker joined to the web UI: registers, holds the WebSocket, sends worker_status as a
/// heartbeat, and when the web UI goes away registers and connects again with backoff. Registering again
/// names the job in hand, so a restarted web UI leaves it with us instead of declaring it abandoned.
/// </summary>
public sealed class WebUiConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 1 << 20;
    private readonly WorkerOptions options;
    private readonly WebUiClient client;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Func<long?> currentJob;
    private readonly Func<WorkerHealth> health;
    private readonly IReadOnlyDictionary<string, string> properties;
    private readonly Channel<WebUiMessage> inbox = Channel.CreateUnbounded<WebUiMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly SemaphoreSlim heartbeatNow = new(0, 1);
    private ClientWebSocket? socket;
    private TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebUiConnection(WorkerOptions options, WebUiClient client, TimeProvider time, ILogger logger, Func<long?> currentJob, Func<WorkerHealth> health, IReadOnlyDictionary<string, string> properties)
    {
        this.options = options;
        this.client = client;
        this.time = time;
        this.logger = logger;
        this.currentJob = currentJob;
        this.health = health;
        this.properties = properties;
    }

    /// <summary>The id the web UI gave at the last registration; 0 before the first.</summary>
    public long WorkerId { get; private set; }

    public bool IsConnected => socket?.State == WebSocketState.Open;

    public ChannelReader<WebUiMessage> Messages => inbox.Reader;

    /// <summary>Raised after each successful (re)connection, so pending uploads go out at once.</summary>
    public event Action? Connected;

    /// <summary>Completes when connected (again).</summary>
    public Task WhenConnectedAsync(CancellationToken cancellationToken) => connected.Task.WaitAsync(cancellationToken);

    /// <summary>Sends the health now instead of at the next heartbeat.</summary>
    public void ReportHealthSoon()
    {
        if (heartbeatNow.CurrentCount == 0)
        {
            try
            {
                heartbeatNow.Release();
            }
            catch (SemaphoreFullException)
            {
                // Someone else asked at the same moment; one heartbeat answers both.
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.ReconnectMinimum, options.ReconnectMaximum);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                WorkerId = await client.RegisterAsync(properties, currentJob(), cancellationToken);
                var ws = await client.ConnectWebSocketAsync(WorkerId, cancellationToken);
                socket = ws;
                Log.Connected(logger, options.Host, WorkerId);
                backoff.Reset();
                connected.TrySetResult();
                Connected?.Invoke();
                using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var heartbeat = HeartbeatAsync(ws, session.Token);
                await ReceiveAsync(ws, cancellationToken);
                await session.CancelAsync();
                await heartbeat;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is WebUiUnavailableException or WebUiRefusedException or WebSocketException or IOException)
            {
                Log.ConnectionFailed(logger, options.Host, e.Message);
            }
            finally
            {
                if (socket is { } old)
                {
                    socket = null;
                    old.Abort();
                    old.Dispose();
                }

                if (connected.Task.IsCompleted)
                {
                    connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            var wait = backoff.Next();
            Log.Reconnecting(logger, wait.TotalSeconds);
            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (socket is { State: WebSocketState.Open } last)
        {
            try
            {
                using var bye = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await last.CloseAsync(WebSocketCloseStatus.NormalClosure, "worker stopping", bye.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The web UI is gone already; its watchdog notices.
            }
        }
    }

    /// <summary>Sends a message on the WebSocket; false when not connected (the caller decides whether that matters).</summary>
    public async Task<bool> TrySendAsync(object message, CancellationToken cancellationToken)
    {
        var ws = socket;
        if (ws is not { State: WebSocketState.Open })
        {
            return false;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await ws.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            Log.SendFailed(logger, e.Message);
            ws.Abort();
            return false;
        }
        finally
        {
            sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        socket?.Abort();
        socket?.Dispose();
        sendLock.Dispose();
        heartbeatNow.Dispose();
        await Task.CompletedTask;
    }

    private async Task HeartbeatAsync(ClientWebSocket ws, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested && ws.State == WebSocketState.Open)
            {
                var now = health();
                await TrySendAsync(new { type = "worker_status", status = now.Status, reason = now.Reason, job_id = currentJob() }, cancellationToken);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(options.HeartbeatInterval, time, wake.Token);
                var asked = heartbeatNow.WaitAsync(wake.Token);
                await Task.WhenAny(delay, asked);
                await wake.CancelAsync();
                await Ignore(delay);
                await Ignore(asked);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task Ignore(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveAsync(ClientWebSocket ws, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        while (ws.State == WebSocketState.Open)
        {
            var count = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                if (count == buffer.Length)
                {
                    throw new WebSocketException("message from the web UI too big");
                }

                received = await ws.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                count += received.Count;
            }
            while (!received.EndOfMessage);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                Log.Disconnected(logger, options.Host);
                return;
            }

            try
            {
                await inbox.Writer.WriteAsync(WebUiMessage.Parse(buffer.AsSpan(0, count)), cancellationToken);
            }
            catch (JsonException e)
            {
                Log.BadMessage(logger, e.Message);
            }
        }
    }
}
