namespace Needlework.Web.Statistics;

/// <summary>Slowness figures for one worker class, machine, test or worker.</summary>
public sealed record StatisticsGroup(
    string Key,
    int Jobs,
    int StoppedForSlowness,
    double StoppedPercent,
    double? MaxStallP50Seconds,
    double? MaxStallP95Seconds,
    double? MaxStallMaxSeconds,
    double? MeanLoadAtStop);
