using Microsoft.EntityFrameworkCore;
using Needlework.Core.Jobs;
using Needlework.Web.Data;

namespace Needlework.Web.Statistics;

/// <summary>Slowness statistics per worker class, machine, test and worker, plus threshold suggestions.</summary>
public sealed record StatisticsReport(
    int FinishedJobs,
    int StoppedForSlowness,
    IReadOnlyList<StatisticsGroup> ByWorkerClass,
    IReadOnlyList<StatisticsGroup> ByMachine,
    IReadOnlyList<StatisticsGroup> ByTest,
    IReadOnlyList<StatisticsGroup> ByWorker,
    IReadOnlyList<ThresholdSuggestion> Suggestions)
{
    public static async Task<StatisticsReport> ComputeAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await (from s in db.JobStatistics.AsNoTracking()
                          join j in db.Jobs.AsNoTracking() on s.JobId equals j.Id
                          select new Row(s.WorkerClass ?? "", s.Machine ?? "", s.Test, s.WorkerId, s.MaxStallSeconds, s.StalledPercent, s.HostLoad, s.StoppedForSlowness, j.Result))
            .ToListAsync(cancellationToken);
        var finished = await db.Jobs.CountAsync(j => j.State == JobState.Done, cancellationToken);
        var suggestions = new List<ThresholdSuggestion>();
        foreach (var workerClass in rows.Select(r => r.WorkerClass).Distinct().Order(StringComparer.Ordinal))
        {
            var passing = rows.Where(r => r.WorkerClass == workerClass && r.Result.IsOk()).ToList();
            suggestions.Add(ThresholdSuggestion.FromSamples(workerClass, passing.Select(r => r.MaxStall).ToList(), passing.Select(r => r.Stalled).ToList()));
        }

        return new StatisticsReport(
            finished,
            rows.Count(r => r.Stopped),
            Group(rows, r => r.WorkerClass),
            Group(rows, r => r.Machine),
            Group(rows, r => r.Test),
            Group(rows, r => r.WorkerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            suggestions);
    }

    private static List<StatisticsGroup> Group(List<Row> rows, Func<Row, string> key) =>
        rows.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var stalls = g.Select(r => r.MaxStall).OfType<double>().ToList();
            var loads = g.Where(r => r.Stopped).Select(r => r.Load).OfType<double>().ToList();
            return new StatisticsGroup(
                g.Key,
                g.Count(),
                g.Count(r => r.Stopped),
                Math.Round(100.0 * g.Count(r => r.Stopped) / g.Count(), 1),
                stalls.Count == 0 ? null : ThresholdSuggestion.Percentile(stalls, 0.5),
                stalls.Count == 0 ? null : ThresholdSuggestion.Percentile(stalls, 0.95),
                stalls.Count == 0 ? null : stalls.Max(),
                loads.Count == 0 ? null : Math.Round(loads.Average(), 2));
        }).ToList();

    private sealed record Row(string WorkerClass, string Machine, string Test, long? WorkerId, double? MaxStall, double? Stalled, double? Load, bool Stopped, JobResult Result);
}
