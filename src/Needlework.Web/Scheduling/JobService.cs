using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Data;
using Needlework.Web.Statistics;

namespace Needlework.Web.Scheduling;

/// <summary>Job operations shared by the API, the pages, the worker protocol and the watchdog.</summary>
public sealed class JobService(
    NeedleworkDbContext db,
    TimeProvider time,
    WorkerConnections connections,
    SchedulerSignal signal,
    WebMetrics metrics,
    IOptions<WebUiOptions> options,
    ILogger<JobService> logger)
{
    public NeedleworkDbContext Db => db;

    public async Task<Job> CreateAsync(IReadOnlyDictionary<string, string> settings, int priority, CancellationToken cancellationToken)
    {
        var job = Job.Create(settings, time.GetUtcNow(), priority);
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return job;
    }

    public Task<Job?> FindAsync(long id, CancellationToken cancellationToken) =>
        db.Jobs.FirstOrDefaultAsync(j => j.Id == id, cancellationToken);

    /// <summary>Cancels a job; a worker running it is told to stop.</summary>
    public async Task CancelAsync(Job job, JobResult result, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var worker = job.AssignedWorkerId;
        var tellWorker = job.Cancel(time.GetUtcNow(), result, reason);
        await db.SaveChangesAsync(cancellationToken);
        if (tellWorker && worker is { } w)
        {
            await connections.TrySendAsync(w, "cancel", new { type = "cancel", jobid = job.Id, result = result.ToWire() }, cancellationToken);
        }
    }

    /// <summary>Restarts a job by cloning the newest job of its clone chain, as openQA does.</summary>
    public async Task<(Job Original, Job Clone)> RestartAsync(Job job, int? priority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var latest = job;
        while (latest.CloneId is { } next)
        {
            latest = await db.Jobs.FirstAsync(j => j.Id == next, cancellationToken);
        }

        var worker = latest.State.IsExecuting() ? latest.AssignedWorkerId : null;
        var clone = latest.Duplicate(time.GetUtcNow(), priority);
        db.Jobs.Add(clone);
        await db.SaveChangesAsync(cancellationToken);
        if (worker is { } w)
        {
            await connections.TrySendAsync(w, "cancel", new { type = "cancel", jobid = latest.Id, result = JobResult.UserRestarted.ToWire() }, cancellationToken);
        }

        signal.Wake();
        return (latest, clone);
    }

    /// <summary>
    /// Ends a job: frees its worker, marks a matching known failure and, when auto-retrigger is on,
    /// clones the job along its chain with a note on the reason.
    /// </summary>
    public async Task<Job?> FinishAsync(Job job, JobResult result, string? reason, BackendReason? backend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var workerId = job.AssignedWorkerId;
        job.Finish(result, reason, backend, time.GetUtcNow());
        if (workerId is { } w && await db.Workers.FirstOrDefaultAsync(x => x.Id == w, cancellationToken) is { } worker && worker.JobId == job.Id)
        {
            worker.JobId = null;
        }

        var failures = await db.KnownFailures.AsNoTracking().OrderBy(f => f.Id).ToListAsync(cancellationToken);
        var parsedBackend = job.BackendReason();
        var known = job.Result.IsOk() ? null : KnownFailure.FirstMatch(failures, job.Reason, parsedBackend);
        job.MarkKnownFailure(known?.Id);

        Job? clone = null;
        var policy = options.Value.AutoRetrigger.ToPolicy();
        if (policy.Enabled && AutoRetriggerPolicy.IsRetriggerable(job.Result))
        {
            var ancestors = await AncestorResultsAsync(job.Id, policy.Limit + 1, cancellationToken);
            var decision = policy.Decide(job.Result, job.Reason, known, AutoRetriggerPolicy.CountConsecutiveFailedAncestors(ancestors));
            if (decision.Note is not null)
            {
                job.AppendReasonNote(decision.Note);
            }

            if (decision.Retrigger && job.CloneId is null)
            {
                clone = job.Duplicate(time.GetUtcNow());
                db.Jobs.Add(clone);
            }
        }

        await UpdateStatisticsOnFinishAsync(job, parsedBackend, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        metrics.JobFinished(job.Result, parsedBackend);
        Log.JobFinished(logger, job.Id, job.Result, job.Reason);
        if (clone is not null)
        {
            Log.JobRetriggered(logger, job.Id, clone.Id, job.Reason);
        }

        signal.Wake();
        return clone;
    }

    /// <summary>Results of the jobs this one was cloned from, nearest first.</summary>
    public async Task<List<JobResult>> AncestorResultsAsync(long jobId, int limit, CancellationToken cancellationToken)
    {
        var results = new List<JobResult>();
        var current = jobId;
        while (results.Count < limit)
        {
            var parent = await db.Jobs.AsNoTracking().Where(j => j.CloneId == current).Select(j => new { j.Id, j.Result }).FirstOrDefaultAsync(cancellationToken);
            if (parent is null)
            {
                break;
            }

            results.Add(parent.Result);
            current = parent.Id;
        }

        return results;
    }

    private async Task UpdateStatisticsOnFinishAsync(Job job, BackendReason? backend, CancellationToken cancellationToken)
    {
        var stats = await db.JobStatistics.FirstOrDefaultAsync(s => s.JobId == job.Id, cancellationToken);
        if (stats is null && backend is not { IsSlowness: true })
        {
            return;
        }

        if (stats is null)
        {
            stats = NewStatistics(job);
            db.JobStatistics.Add(stats);
        }

        stats.StoppedForSlowness = backend is { IsSlowness: true };
        stats.SlownessCategory = backend?.IsSlowness == true ? backend.Category : null;
        if (backend?.Statistics is { } s && StatsFrom(s.GetRawText()) is { } doc)
        {
            stats.HostLoad ??= doc.HostLoad;
            stats.MaxStallSeconds ??= doc.MaxStallSeconds;
            stats.StalledPercent ??= doc.StalledPercent;
        }
    }

    internal static JobStatistics NewStatistics(Job job) => new()
    {
        JobId = job.Id,
        Test = job.Test,
        Machine = job.Machine,
        WorkerClass = job.Settings.GetValueOrDefault(JobSettings.WorkerClass),
        WorkerId = job.LastWorkerId,
    };

    private static StatsDocument? StatsFrom(string json)
    {
        try
        {
            return StatsDocument.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
