using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Needlework.Web.Scheduling;

/// <summary>
/// Knows which jobs somebody is watching. The first request for a job's live image tells its worker
/// livelog_start; when nobody asked for <see cref="WebUiOptions.LiveViewIdle"/> the worker gets
/// livelog_stop, so with nobody watching no PNG is made at all.
/// </summary>
public sealed class LiveViewTracker(WorkerConnections connections, TimeProvider time, IOptions<WebUiOptions> options) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Viewer> watched = new();

    public bool IsWatched(long jobId) => watched.ContainsKey(jobId);

    public async Task TouchAsync(long jobId, long workerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var isNew = false;
        watched.AddOrUpdate(jobId, _ => { isNew = true; return new Viewer(workerId, now); }, (_, v) => v with { LastRequest = now });
        if (isNew)
        {
            await connections.TrySendAsync(workerId, "livelog_start", new { type = "livelog_start", jobid = jobId }, cancellationToken);
        }
    }

    public async Task StopAsync(long jobId, CancellationToken cancellationToken)
    {
        if (watched.TryRemove(jobId, out var viewer))
        {
            await connections.TrySendAsync(viewer.WorkerId, "livelog_stop", new { type = "livelog_stop", jobid = jobId }, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                foreach (var (jobId, viewer) in watched)
                {
                    if (now - viewer.LastRequest > options.Value.LiveViewIdle)
                    {
                        await StopAsync(jobId, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed record Viewer(long WorkerId, DateTimeOffset LastRequest);
}
