using System.Globalization;

namespace Needlework.Core.Jobs;

/// <summary>
/// The slowness policy the web UI hands to a job at assignment, as job variables the runner reads.
/// With none set the runner only measures and warns.
/// </summary>
/// <param name="MaxStallSeconds">Longest allowed gap between captured frames.</param>
/// <param name="MaxStalledPercent">Largest share of stalled time over <paramref name="WindowSeconds"/>.</param>
/// <param name="WindowSeconds">The sliding window for <paramref name="MaxStalledPercent"/>.</param>
/// <param name="BaselineFactor">How many times slower than the worker's measured baseline is still tolerated.</param>
public sealed record SlownessThresholds(
    double? MaxStallSeconds = null,
    double? MaxStalledPercent = null,
    double? WindowSeconds = null,
    double? BaselineFactor = null)
{
    public const string MaxStallVariable = "NEEDLEWORK_MAX_STALL";
    public const string MaxStalledPercentVariable = "NEEDLEWORK_MAX_STALLED_PERCENT";
    public const string WindowVariable = "NEEDLEWORK_STALL_WINDOW";
    public const string BaselineFactorVariable = "NEEDLEWORK_SLOWNESS_FACTOR";

    public static IReadOnlyList<string> VariableNames { get; } =
        [MaxStallVariable, MaxStalledPercentVariable, WindowVariable, BaselineFactorVariable];

    /// <summary>No thresholds: the runner measures and warns only. A fresh instance each time, since configuration binding fills instances in place.</summary>
    public static SlownessThresholds None => new();

    public IReadOnlyDictionary<string, string> ToSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(settings, MaxStallVariable, MaxStallSeconds);
        Add(settings, MaxStalledPercentVariable, MaxStalledPercent);
        Add(settings, WindowVariable, WindowSeconds);
        Add(settings, BaselineFactorVariable, BaselineFactor);
        return settings;
    }

    public static SlownessThresholds FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SlownessThresholds(
            Read(settings, MaxStallVariable),
            Read(settings, MaxStalledPercentVariable),
            Read(settings, WindowVariable),
            Read(settings, BaselineFactorVariable));
    }

    private static void Add(Dictionary<string, string> settings, string key, double? value)
    {
        if (value is { } v)
        {
            settings[key] = v.ToString("0.###", CultureInfo.InvariantCulture);
        }
    }

    private static double? Read(IReadOnlyDictionary<string, string> settings, string key) =>
        settings.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
