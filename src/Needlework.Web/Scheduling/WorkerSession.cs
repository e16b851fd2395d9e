using System.Net.WebSockets;
using System.Text.Json;

namespace Needlework.Web.Scheduling;

/// <summary>One worker's WebSocket; sends are serialised because a WebSocket allows one writer at a time.</summary>
public sealed class WorkerSession(long workerId, WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim sendLock = new(1, 1);

    public long WorkerId { get; } = workerId;

    public WebSocket Socket { get; } = socket;

    public async Task SendAsync(object message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    public void Dispose() => sendLock.Dispose();
}
