using Needlework.Core.Jobs;

namespace Needlework.Web;

/// <summary>The admin's slowness thresholds: a default and overrides per worker class (a stored setting wins over both).</summary>
public sealed record SlownessOptions
{
    public SlownessThresholds Default { get; init; } = new();

    public Dictionary<string, SlownessThresholds> PerWorkerClass { get; init; } = new(StringComparer.Ordinal);
}
