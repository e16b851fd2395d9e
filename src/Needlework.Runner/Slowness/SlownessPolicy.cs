using Needlework.Core.Jobs;

namespace Needlework.Runner.Slowness;

/// <summary>
/// When a job is too slow, from the job variables the web UI sets (<see cref="SlownessThresholds"/>), plus the
/// fixed definitions the statistics use. With no limit set the monitor measures and warns only.
/// </summary>
/// <param name="Interval">SCREENSHOTINTERVAL: one frame is expected this often.</param>
/// <param name="MaxStall">NEEDLEWORK_MAX_STALL: the longest time without a frame.</param>
/// <param name="MaxStalledPercent">NEEDLEWORK_MAX_STALLED_PERCENT: the largest share of <paramref name="Window"/> spent in stalls.</param>
/// <param name="Window">NEEDLEWORK_STALL_WINDOW (60 s by default): the sliding window of the stalled share and of the factor.</param>
/// <param name="Factor">NEEDLEWORK_SLOWNESS_FACTOR: the largest ratio of the window's median capture latency to the job's baseline.</param>
public sealed record SlownessPolicy(
    TimeSpan Interval,
    TimeSpan? MaxStall = null,
    double? MaxStalledPercent = null,
    TimeSpan? Window = null,
    double? Factor = null)
{
    /// <summary>A gap between frames longer than this many intervals is a stall (2 s at 0.5 s), never less than 1 s.</summary>
    public const double StallIntervals = 4;

    /// <summary>os-autoinst's STALL_DETECT_FACTOR: it warns after 20 intervals (10 s) without a frame; so do we.</summary>
    public const double WarnIntervals = 20;

    /// <summary>The captures after the first few warm-up ones whose median latency is the job's baseline.</summary>
    public const int BaselineCaptures = 20;

    /// <summary>Captures skipped before the baseline: the first screendumps of a booting VM and a cold JIT are slow.</summary>
    public const int WarmUpCaptures = 4;

    public static TimeSpan DefaultWindow { get; } = TimeSpan.FromSeconds(60);

    public TimeSpan StallGap => TimeSpan.FromSeconds(Math.Max(1, StallIntervals * Interval.TotalSeconds));

    public TimeSpan WarnGap => TimeSpan.FromSeconds(Math.Max(StallGap.TotalSeconds, WarnIntervals * Interval.TotalSeconds));

    public TimeSpan EffectiveWindow => Window ?? DefaultWindow;

    /// <summary>
    /// The floor of the latency baseline, a tenth of the interval (50 ms at 0.5 s): a 4 ms screendump times a
    /// factor would trip on scheduler noise, while a capture that eats a tenth of its interval several times over is real.
    /// </summary>
    public TimeSpan BaselineFloor => Interval / 10;

    /// <summary>True when at least one limit is set, so the monitor may stop the job.</summary>
    public bool Enforcing => MaxStall is not null || MaxStalledPercent is not null || Factor is not null;

    /// <summary>Reads the job variables; non-positive values count as unset.</summary>
    public static SlownessPolicy FromVariables(IReadOnlyDictionary<string, string> variables, TimeSpan interval)
    {
        var thresholds = SlownessThresholds.FromSettings(variables);
        return new SlownessPolicy(
            interval,
            Positive(thresholds.MaxStallSeconds) is { } stall ? TimeSpan.FromSeconds(stall) : null,
            Positive(thresholds.MaxStalledPercent),
            Positive(thresholds.WindowSeconds) is { } window ? TimeSpan.FromSeconds(window) : null,
            Positive(thresholds.BaselineFactor));
    }

    private static double? Positive(double? value) => value is > 0 ? value : null;
}
