using Needlework.Runner.Slowness;

namespace Needlework.Runner.Tests.Slowness;

public sealed class SlownessPolicyTests
{
    [Fact]
    public void No_variables_means_measure_and_warn_only()
    {
        var policy = SlownessPolicy.FromVariables(new Dictionary<string, string>(), TimeSpan.FromSeconds(0.5));
        Assert.False(policy.Enforcing);
        Assert.Equal(TimeSpan.FromSeconds(60), policy.EffectiveWindow);
        Assert.Equal(TimeSpan.FromSeconds(2), policy.StallGap);
        Assert.Equal(TimeSpan.FromSeconds(10), policy.WarnGap);
        Assert.Equal(TimeSpan.FromMilliseconds(50), policy.BaselineFloor);
    }

    [Fact]
    public void The_web_uis_variables_set_the_limits_and_zero_unsets_one()
    {
        var policy = SlownessPolicy.FromVariables(
            new Dictionary<string, string>
            {
                ["NEEDLEWORK_MAX_STALL"] = "10",
                ["NEEDLEWORK_MAX_STALLED_PERCENT"] = "20",
                ["NEEDLEWORK_STALL_WINDOW"] = "30",
                ["NEEDLEWORK_SLOWNESS_FACTOR"] = "0",
            },
            TimeSpan.FromSeconds(0.5));
        Assert.True(policy.Enforcing);
        Assert.Equal(TimeSpan.FromSeconds(10), policy.MaxStall);
        Assert.Equal(20, policy.MaxStalledPercent);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.EffectiveWindow);
        Assert.Null(policy.Factor);
    }
}
