using Microsoft.EntityFrameworkCore;
using Needlework.Core.Jobs;
using Needlework.Web.Api;
using Needlework.Web.Data;

namespace Needlework.Web.Scheduling;

/// <summary>
/// Assigns scheduled jobs to free connected workers whenever a job or a worker becomes free (no
/// periodic tick). Passes run one at a time, and the job's state is a concurrency token, so a job
/// leaves "scheduled" exactly once however many workers race for it.
/// </summary>
public sealed class JobScheduler(
    IServiceScopeFactory scopes,
    SchedulerSignal signal,
    WorkerConnections connections,
    ThresholdProvider thresholds,
    ILogger<JobScheduler> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signal.Wake();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(stoppingToken);
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                Log.SchedulerFailed(logger, e);
                signal.Wake();
            }
        }
    }

    /// <summary>One pass: every scheduled job, by priority then age, onto the first free qualifying worker.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var connected = connections.ConnectedWorkerIds.ToList();
        if (connected.Count == 0)
        {
            return;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
        var free = await db.Workers
            .Where(w => connected.Contains(w.Id) && w.JobId == null && w.Error == null && w.Online)
            .OrderBy(w => w.Id)
            .ToListAsync(cancellationToken);
        if (free.Count == 0)
        {
            return;
        }

        var jobs = await db.Jobs.Where(j => j.State == JobState.Scheduled)
            .OrderBy(j => j.Priority).ThenBy(j => j.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (jobs.Count == 0)
        {
            return;
        }

        // A retriggered job should preferably run elsewhere than where its original failed.
        var ids = jobs.Select(j => (long?)j.Id).ToList();
        var avoid = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.CloneId))
            .Select(j => new { j.CloneId, j.LastWorkerId }).ToListAsync(cancellationToken);

        foreach (var job in jobs)
        {
            if (free.Count == 0)
            {
                break;
            }

            var needed = job.WorkerClasses;
            var candidates = free.Where(w => JobSettings.WorkerQualifies(JobSettings.ParseClasses(w.WorkerClass), needed)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var avoidId = avoid.FirstOrDefault(a => a.CloneId == job.Id)?.LastWorkerId;
            var worker = candidates.FirstOrDefault(w => w.Id != avoidId) ?? candidates[0];
            var values = await thresholds.ForAsync(db, job, JobSettings.ParseClasses(worker.WorkerClass), cancellationToken);
            job.Assign(worker.Id, values.ToSettings());
            worker.JobId = job.Id;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else (a cancel) changed the job meanwhile: leave it, start afresh next pass.
                signal.Wake();
                return;
            }

            free.Remove(worker);
            Log.JobAssigned(logger, job.Id, worker.Id);
            var sent = await connections.TrySendAsync(worker.Id, "grab_job", new { type = "grab_job", job = JobJson.Of(job) }, cancellationToken);
            if (!sent)
            {
                job.Unassign();
                worker.JobId = null;
                await db.SaveChangesAsync(cancellationToken);
            }
        }
    }
}
