using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Data;

namespace Needlework.Web.Scheduling;

/// <summary>
/// Declares workers gone when they sent nothing (WebSocket message or HTTP status) for
/// <see cref="WebUiOptions.WorkerTimeout"/>, and ends their jobs as abandoned with openQA's reason.
/// A web UI that restarts gives every worker a full timeout from its own start to reconnect.
/// </summary>
public sealed class WorkerWatchdog(
    IServiceScopeFactory scopes,
    WorkerConnections connections,
    TimeProvider time,
    IOptions<WebUiOptions> options,
    ILogger<WorkerWatchdog> logger) : BackgroundService
{
    private readonly DateTimeOffset started = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = options.Value.WorkerTimeout;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
                {
                    Log.WatchdogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeout = options.Value.WorkerTimeout;
        using var scope = scopes.CreateScope();
        var jobs = scope.ServiceProvider.GetRequiredService<JobService>();
        var db = jobs.Db;
        var online = await db.Workers.Where(w => w.Online).ToListAsync(cancellationToken);
        foreach (var worker in online)
        {
            var lastSeen = connections.LastSeen(worker.Id) ?? Max(worker.TSeen ?? started, started);
            if (now - lastSeen <= timeout)
            {
                if (worker.TSeen is null || lastSeen - worker.TSeen.Value > TimeSpan.FromSeconds(1))
                {
                    worker.TSeen = lastSeen;
                }

                continue;
            }

            Log.WorkerGone(logger, worker.Name, lastSeen);
            worker.Online = false;
            worker.TSeen = lastSeen;
            connections.Forget(worker.Id);
            var executing = await db.Jobs.Where(j => j.AssignedWorkerId == worker.Id).ToListAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var job in executing.Where(j => j.State.IsExecuting()))
            {
                await jobs.FinishAsync(job, JobResult.Incomplete, JobReason.Abandoned(worker.Host, worker.Instance), null, cancellationToken);
            }

            worker.JobId = null;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
