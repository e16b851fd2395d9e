using System.Text.Json.Nodes;
using Needlework.Core.Jobs;
using Needlework.Worker.Health;
using Needlework.Worker.Jobs;

namespace Needlework.Worker.Tests.Unit;

public sealed class JobOutcomeTests
{
    private static readonly HostSnapshot Host = new(3.5, 2, 1, 0.5, 2, 1000, 400, "2025-01-01T00:00:00");

    [Fact]
    public void ModulesAddUpAsInOpenQa()
    {
        Assert.Equal(JobResult.Passed, JobOutcome.FromModules([new("a", "ok", false), new("b", "ok", false)]));
        Assert.Equal(JobResult.Failed, JobOutcome.FromModules([new("a", "ok", false), new("b", "fail", false), new("c", "softfail", false)]));
        Assert.Equal(JobResult.Softfailed, JobOutcome.FromModules([new("a", "ok", false), new("b", "softfail", false)]));
        Assert.Equal(JobResult.Passed, JobOutcome.FromModules([new("a", "ok", false), new("b", "fail", true)]));
        Assert.Equal(JobResult.Incomplete, JobOutcome.FromModules([]));
    }

    [Fact]
    public void DeadRunnerReasonComesFromBaseState()
    {
        var died = JobOutcome.Decide(StopCause.None, null, new RunnerExit(1), new BaseState("backend", "too slow: no frame for 12 s (limit 3 s)", "slow_sut", JsonNode.Parse("""{"max_stall_s": 12}""")), [], null);
        Assert.Equal(JobResult.Incomplete, died.Result);
        Assert.Equal("backend too slow: no frame for 12 s (limit 3 s)", died.Reason);
        var qemu = JobOutcome.Decide(StopCause.None, null, new RunnerExit(1), new BaseState("backend", "QEMU exited unexpectedly, see log for details", null, null), [], null);
        Assert.Equal("backend died: QEMU exited unexpectedly, see log for details", qemu.Reason);
        Assert.Equal("slow_sut", died.Backend!.Category);
        Assert.Equal(12, died.Backend.Statistics!.Value.GetProperty("max_stall_s").GetInt32());

        var isotovideo = JobOutcome.Decide(StopCause.None, null, new RunnerExit(1), new BaseState("isotovideo", new string('x', 400), null, null), [], null);
        Assert.StartsWith("isotovideo died: xxx", isotovideo.Reason, StringComparison.Ordinal);
        Assert.Equal(JobReason.MaxLength, isotovideo.Reason!.Length);

        var killed = JobOutcome.Decide(StopCause.None, null, new RunnerExit(137), null, [new("a", "ok", false)], null);
        Assert.Equal(JobReason.DiedPrematurely, killed.Reason);
        Assert.Equal(9, killed.Backend!.Statistics!.Value.GetProperty("runner_signal").GetInt32());
    }

    [Fact]
    public void WorkerStopsWinAndCarryTheHost()
    {
        var timeout = JobOutcome.Decide(StopCause.JobTimeout, null, new RunnerExit(1), new BaseState("isotovideo", "stopped", null, null), [], Host);
        Assert.Equal(JobResult.TimeoutExceeded, timeout.Result);
        Assert.Equal("timeout: test execution exceeded MAX_JOB_TIME", timeout.Reason);
        Assert.Equal(3.5, timeout.Backend!.Statistics!.Value.GetProperty("host_load").GetDouble());

        var setup = JobOutcome.Decide(StopCause.SetupTimeout, null, null, null, [], Host);
        Assert.Equal("timeout: setup exceeded MAX_SETUP_TIME", setup.Reason);

        var cancel = JobOutcome.Decide(StopCause.Cancelled, "user_restarted", new RunnerExit(1), null, [], Host);
        Assert.Equal(JobResult.UserRestarted, cancel.Result);
        Assert.Equal(400, cancel.Backend!.Statistics!.Value.GetProperty("host").GetProperty("mem_available_kib").GetInt64());
    }

    [Fact]
    public void LimitsScale()
    {
        var limits = JobLimits.From(new Dictionary<string, string> { ["MAX_JOB_TIME"] = "100", ["TIMEOUT_SCALE"] = "3" });
        Assert.Equal(TimeSpan.FromSeconds(300), limits.Job);
        Assert.Equal(TimeSpan.FromSeconds(3 * 3600), limits.Setup);
        Assert.Equal(TimeSpan.FromSeconds(7200), JobLimits.From(new Dictionary<string, string>()).Job);
    }

    [Fact]
    public void OverloadFollowsTheThreshold()
    {
        Assert.NotNull(HostStatistics.OverloadReason(Host with { Load1 = 50, Load15 = 10 }, 40));
        Assert.Null(HostStatistics.OverloadReason(Host with { Load1 = 30 }, 40));
        Assert.Null(HostStatistics.OverloadReason(Host with { Load1 = 20, Load5 = 40, Load15 = 60 }, 40));
    }
}
