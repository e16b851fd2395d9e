using Microsoft.EntityFrameworkCore;
using Needlework.Core.Jobs;
using Needlework.Web.Data;
using Prometheus;

namespace Needlework.Web.Statistics;

/// <summary>Prometheus metrics in a registry of this application's own, so several web UIs in one process (tests) do not mix.</summary>
public sealed class WebMetrics
{
    private readonly Counter finished;
    private readonly Counter stoppedForSlowness;
    private readonly Gauge jobs;
    private readonly Gauge workers;

    public WebMetrics(IServiceScopeFactory scopes)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        finished = factory.CreateCounter("needlework_jobs_finished_total", "Jobs finished, by result.", "result");
        stoppedForSlowness = factory.CreateCounter("needlework_jobs_stopped_for_slowness_total", "Jobs the runner stopped because the SUT or the worker was too slow.", "category");
        jobs = factory.CreateGauge("needlework_jobs", "Jobs by state.", "state");
        workers = factory.CreateGauge("needlework_workers", "Workers by status.", "status");
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
            var byState = await db.Jobs.GroupBy(j => j.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var state in Enum.GetValues<JobState>())
            {
                jobs.WithLabels(state.ToWire()).Set(byState.FirstOrDefault(s => s.Key == state)?.Count ?? 0);
            }

            var all = await db.Workers.AsNoTracking().Select(w => new { w.Online, w.Error, w.JobId }).ToListAsync(cancellationToken);
            workers.WithLabels("dead").Set(all.Count(w => !w.Online));
            workers.WithLabels("broken").Set(all.Count(w => w.Online && w.Error != null));
            workers.WithLabels("running").Set(all.Count(w => w.Online && w.Error == null && w.JobId != null));
            workers.WithLabels("idle").Set(all.Count(w => w.Online && w.Error == null && w.JobId == null));
        });
    }

    public CollectorRegistry Registry { get; }

    public void JobFinished(JobResult result, BackendReason? backend)
    {
        finished.WithLabels(result.ToWire()).Inc();
        if (backend is { IsSlowness: true, Category: { } category })
        {
            stoppedForSlowness.WithLabels(category).Inc();
        }
    }
}
