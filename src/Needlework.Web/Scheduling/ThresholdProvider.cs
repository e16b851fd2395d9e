using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Data;
using Needlework.Web.Statistics;

namespace Needlework.Web.Scheduling;

/// <summary>
/// The slowness thresholds a job gets when it is assigned: the admin's stored setting for the first
/// matching worker class (manual values, or the suggestion when set to automatic), else the
/// configured per-class values, else the configured default.
/// </summary>
public sealed class ThresholdProvider(IOptions<WebUiOptions> options)
{
    public async Task<SlownessThresholds> ForAsync(NeedleworkDbContext db, Job job, IReadOnlySet<string> workerClasses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(workerClasses);
        var classes = job.WorkerClasses.Concat(workerClasses.Order(StringComparer.Ordinal)).Distinct().ToList();
        if (classes.Count > 0)
        {
            var stored = await db.ThresholdSettings.AsNoTracking().Where(t => classes.Contains(t.WorkerClass)).ToListAsync(cancellationToken);
            foreach (var name in classes)
            {
                var setting = stored.FirstOrDefault(s => s.WorkerClass == name);
                if (setting is null)
                {
                    continue;
                }

                if (!setting.Automatic)
                {
                    return new SlownessThresholds(setting.MaxStallSeconds, setting.MaxStalledPercent, setting.WindowSeconds, setting.BaselineFactor);
                }

                var suggestion = await ThresholdSuggestion.ComputeAsync(db, name, cancellationToken);
                if (suggestion.Thresholds is { } suggested)
                {
                    return suggested;
                }
            }
        }

        var slowness = options.Value.Slowness;
        foreach (var name in classes)
        {
            if (slowness.PerWorkerClass.TryGetValue(name, out var configured))
            {
                return configured;
            }
        }

        return slowness.Default;
    }
}
