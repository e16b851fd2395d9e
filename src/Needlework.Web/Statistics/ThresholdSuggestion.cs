using Microsoft.EntityFrameworkCore;
using Needlework.Core.Jobs;
using Needlework.Web.Data;

namespace Needlework.Web.Statistics;

/// <summary>
/// A threshold per worker class computed from passing jobs: half again above the 95th percentile of
/// what healthy jobs showed, so normal runs never trip it and a real stall does.
/// </summary>
public sealed record ThresholdSuggestion(string WorkerClass, int Samples, SlownessThresholds? Thresholds)
{
    public const int MinimumSamples = 5;
    public const double Headroom = 1.5;
    public const double WindowSeconds = 60;

    public static async Task<ThresholdSuggestion> ComputeAsync(NeedleworkDbContext db, string workerClass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var passed = new[] { JobResult.Passed, JobResult.Softfailed };
        var rows = await (from s in db.JobStatistics.AsNoTracking()
                          join j in db.Jobs.AsNoTracking() on s.JobId equals j.Id
                          where s.WorkerClass == workerClass && passed.Contains(j.Result)
                          select new { s.MaxStallSeconds, s.StalledPercent }).ToListAsync(cancellationToken);
        return FromSamples(workerClass, rows.Select(r => r.MaxStallSeconds).ToList(), rows.Select(r => r.StalledPercent).ToList());
    }

    public static ThresholdSuggestion FromSamples(string workerClass, IReadOnlyList<double?> maxStalls, IReadOnlyList<double?> stalledPercents)
    {
        ArgumentNullException.ThrowIfNull(maxStalls);
        ArgumentNullException.ThrowIfNull(stalledPercents);
        var stalls = maxStalls.OfType<double>().ToList();
        var shares = stalledPercents.OfType<double>().ToList();
        var samples = Math.Max(stalls.Count, shares.Count);
        if (samples < MinimumSamples)
        {
            return new ThresholdSuggestion(workerClass, samples, null);
        }

        double? maxStall = stalls.Count >= MinimumSamples ? Math.Round(Math.Max(2, Percentile(stalls, 0.95) * Headroom), 1) : null;
        double? share = shares.Count >= MinimumSamples ? Math.Round(Math.Min(100, Math.Max(5, Percentile(shares, 0.95) * Headroom)), 1) : null;
        return new ThresholdSuggestion(workerClass, samples, new SlownessThresholds(maxStall, share, share is null ? null : WindowSeconds));
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
