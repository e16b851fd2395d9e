namespace Needlework.Web.Data;

/// <summary>The admin's slowness thresholds for one worker class; <see cref="Automatic"/> means "use the suggestion".</summary>
public sealed class ThresholdSetting
{
    public string WorkerClass { get; set; } = string.Empty;

    public bool Automatic { get; set; }

    public double? MaxStallSeconds { get; set; }

    public double? MaxStalledPercent { get; set; }

    public double? WindowSeconds { get; set; }

    public double? BaselineFactor { get; set; }
}
