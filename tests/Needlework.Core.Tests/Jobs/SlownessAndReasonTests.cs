using Needlework.Core.Jobs;

namespace Needlework.Core.Tests.Jobs;

/// <summary>The contract between the web UI, the worker and the runner for slowness: variables and wording.</summary>
public sealed class SlownessAndReasonTests
{
    [Fact]
    public void ThresholdsTravelAsJobVariablesAndBack()
    {
        var thresholds = new SlownessThresholds(MaxStallSeconds: 10, MaxStalledPercent: 20, WindowSeconds: 60, BaselineFactor: 4.5);

        var settings = thresholds.ToSettings();

        Assert.Equal("10", settings["NEEDLEWORK_MAX_STALL"]);
        Assert.Equal("4.5", settings["NEEDLEWORK_SLOWNESS_FACTOR"]);
        Assert.Equal(thresholds, SlownessThresholds.FromSettings(settings));
        Assert.Empty(SlownessThresholds.None.ToSettings());
    }

    [Fact]
    public void UnreadableThresholdIsNotSet() =>
        Assert.Null(SlownessThresholds.FromSettings(new Dictionary<string, string> { ["NEEDLEWORK_MAX_STALL"] = "soon" }).MaxStallSeconds);

    [Fact]
    public void SlownessReadsAsBackendTooSlowAndOtherDeathsAsDied()
    {
        Assert.Equal("backend too slow: no frame for 12 s (limit 10 s)", JobReason.BackendTooSlow("too slow: no frame for 12 s (limit 10 s)"));
        Assert.Equal("backend died: QEMU exited unexpectedly, see log for details", JobReason.BackendDied("QEMU exited unexpectedly, see log for details"));
    }

    [Fact]
    public void ReasonsAreCutAtOpenQasLength()
    {
        var reason = JobReason.TestsDied(new string('x', 500));

        Assert.Equal(JobReason.MaxLength, reason.Length);
        Assert.EndsWith("...", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendJsonRoundTripsAndKnowsSlowness()
    {
        var reason = new BackendReason("backend", BackendReason.SlowWorker, "too slow: host load 5.1 on 2 CPUs");

        var parsed = BackendReason.Parse(reason.ToJson())!;

        Assert.Equal(reason.Message, parsed.Message);
        Assert.True(parsed.IsSlowness);
        Assert.False(new BackendReason("backend", null, "x").IsSlowness);
        Assert.Null(BackendReason.Parse("  "));
    }
}
