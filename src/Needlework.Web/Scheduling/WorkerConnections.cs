using System.Collections.Concurrent;

namespace Needlework.Web.Scheduling;

/// <summary>The connected workers' WebSockets and when each worker was last heard of, over any channel.</summary>
public sealed class WorkerConnections(TimeProvider time, ILogger<WorkerConnections> logger)
{
    private readonly ConcurrentDictionary<long, WorkerSession> sessions = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> lastSeen = new();

    public IReadOnlyCollection<long> ConnectedWorkerIds => sessions.Keys.ToList();

    public bool IsConnected(long workerId) => sessions.ContainsKey(workerId);

    public void Attach(WorkerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        sessions[session.WorkerId] = session;
        Touch(session.WorkerId);
    }

    public void Detach(WorkerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        sessions.TryRemove(new KeyValuePair<long, WorkerSession>(session.WorkerId, session));
    }

    public void Touch(long workerId) => lastSeen[workerId] = time.GetUtcNow();

    public DateTimeOffset? LastSeen(long workerId) => lastSeen.TryGetValue(workerId, out var seen) ? seen : null;

    public void Forget(long workerId) => lastSeen.TryRemove(workerId, out _);

    /// <summary>Sends a message; false when the worker is not connected or the send failed.</summary>
    public async Task<bool> TrySendAsync(long workerId, string type, object message, CancellationToken cancellationToken)
    {
        if (!sessions.TryGetValue(workerId, out var session))
        {
            return false;
        }

        try
        {
            await session.SendAsync(message, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            Log.SendFailed(logger, type, workerId, e);
            Detach(session);
            return false;
        }
    }
}
