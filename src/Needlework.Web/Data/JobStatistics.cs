namespace Needlework.Web.Data;

/// <summary>The summary of a job's stats.json, with the figures the statistics pages and suggestions query as columns.</summary>
public sealed class JobStatistics
{
    public long JobId { get; set; }

    public string? WorkerClass { get; set; }

    public string? Machine { get; set; }

    public string Test { get; set; } = string.Empty;

    public long? WorkerId { get; set; }

    public double? MaxStallSeconds { get; set; }

    public double? StalledPercent { get; set; }

    public double? CaptureIntervalP95Ms { get; set; }

    public double? HostLoad { get; set; }

    public bool StoppedForSlowness { get; set; }

    public string? SlownessCategory { get; set; }

    public string? Summary { get; set; }
}
