using Needlework.Core.Jobs;

namespace Needlework.Web.Tests.Core;

public sealed class JobTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static Job NewJob(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string> { ["TEST"] = "boot", ["DISTRI"] = "debian", ["VERSION"] = "12", ["FLAVOR"] = "netinst", ["ARCH"] = "x86_64", ["BUILD"] = "7", ["MACHINE"] = "64bit" };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return Job.Create(settings, Now);
    }

    [Fact]
    public void NewJobIsScheduledWithOpenQaName()
    {
        var job = NewJob();
        Assert.Equal(JobState.Scheduled, job.State);
        Assert.Equal(JobResult.None, job.Result);
        Assert.Equal("debian-12-netinst-x86_64-Build7-boot@64bit", job.Name);
        Assert.Equal("x86_64", job.Arch);
        Assert.Equal(50, job.Priority);
    }

    [Fact]
    public void CreateWithoutTestIsRefused() =>
        Assert.Throws<ArgumentException>(() => Job.Create(new Dictionary<string, string> { ["ARCH"] = "x86_64" }, Now));

    [Fact]
    public void FullLifecycleReachesDone()
    {
        var job = NewJob();
        job.Assign(7, new Dictionary<string, string> { ["NEEDLEWORK_MAX_STALL"] = "10" });
        Assert.Equal(JobState.Assigned, job.State);
        Assert.Equal(7, job.AssignedWorkerId);
        Assert.Equal("10", job.Settings["NEEDLEWORK_MAX_STALL"]);
        job.BeginSetup(Now.AddSeconds(1));
        job.Start(Now.AddSeconds(2));
        Assert.Equal(Now.AddSeconds(1), job.TStarted);
        job.BeginUpload();
        job.Finish(JobResult.Failed, "tests died: boom", new BackendReason("tests", "died", "boom"), Now.AddSeconds(3));
        Assert.Equal(JobState.Done, job.State);
        Assert.Equal(JobResult.Failed, job.Result);
        Assert.Null(job.AssignedWorkerId);
        Assert.Equal(7, job.LastWorkerId);
        Assert.Equal("died", job.BackendReason()!.Category);
    }

    [Fact]
    public void AdminThresholdsDoNotOverrideExplicitJobSettings()
    {
        var job = NewJob(new() { ["NEEDLEWORK_MAX_STALL"] = "3" });
        job.Assign(1, new Dictionary<string, string> { ["NEEDLEWORK_MAX_STALL"] = "10", ["NEEDLEWORK_STALL_WINDOW"] = "60" });
        Assert.Equal("3", job.Settings["NEEDLEWORK_MAX_STALL"]);
        Assert.Equal("60", job.Settings["NEEDLEWORK_STALL_WINDOW"]);
        job.Start(Now);
        job.Finish(JobResult.Passed, null, null, Now);
        var clone = job.Duplicate(Now);
        Assert.Equal("3", clone.Settings["NEEDLEWORK_MAX_STALL"]);
        Assert.False(clone.Settings.ContainsKey("NEEDLEWORK_STALL_WINDOW"));
    }

    [Fact]
    public void IllegalTransitionsThrow()
    {
        var job = NewJob();
        Assert.Throws<InvalidJobTransitionException>(() => job.Start(Now));
        Assert.Throws<InvalidJobTransitionException>(() => job.Finish(JobResult.Passed, null, null, Now));
        Assert.Throws<InvalidJobTransitionException>(() => job.BeginUpload());
        Assert.Throws<InvalidJobTransitionException>(() => job.Duplicate(Now));
        job.Assign(1, new Dictionary<string, string>());
        Assert.Throws<InvalidJobTransitionException>(() => job.Assign(2, new Dictionary<string, string>()));
        job.Start(Now);
        Assert.Throws<InvalidJobTransitionException>(() => job.Unassign());
        Assert.Throws<InvalidJobTransitionException>(() => job.AdvanceTo(JobState.Done, Now));
        job.Finish(JobResult.Passed, null, null, Now);
        Assert.Throws<InvalidJobTransitionException>(() => job.Finish(JobResult.Failed, null, null, Now));
        Assert.Throws<InvalidJobTransitionException>(() => job.Cancel(Now));
    }

    [Fact]
    public void CancellingAQueuedJobEndsItAtOnce()
    {
        var job = NewJob();
        Assert.False(job.Cancel(Now));
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal(JobResult.UserCancelled, job.Result);
        Assert.Equal(Now, job.TFinished);
    }

    [Fact]
    public void CancellingARunningJobKeepsTheUsersResultWhenTheWorkerReports()
    {
        var job = NewJob();
        job.Assign(1, new Dictionary<string, string>());
        job.Start(Now);
        Assert.True(job.Cancel(Now));
        Assert.Equal(JobState.Running, job.State);
        job.Finish(JobResult.Incomplete, "quit: worker has been stopped or restarted", null, Now);
        Assert.Equal(JobResult.UserCancelled, job.Result);
    }

    [Fact]
    public void UnassignReturnsJobToTheQueue()
    {
        var job = NewJob();
        job.Assign(1, new Dictionary<string, string>());
        job.Unassign();
        Assert.Equal(JobState.Scheduled, job.State);
        Assert.Null(job.AssignedWorkerId);
    }

    [Fact]
    public void DuplicateLinksTheCloneChainOnce()
    {
        var job = NewJob();
        job.Assign(1, new Dictionary<string, string>());
        job.Start(Now);
        var clone = job.Duplicate(Now.AddMinutes(1));
        Assert.Same(clone, job.Clone);
        Assert.Equal(JobResult.UserRestarted, job.Result);
        Assert.Equal(JobState.Scheduled, clone.State);
        Assert.Equal(job.Settings, clone.Settings);
        Assert.Throws<InvalidJobTransitionException>(() => job.Duplicate(Now));
    }

    [Fact]
    public void WireNamesRoundTrip()
    {
        foreach (var state in Enum.GetValues<JobState>())
        {
            Assert.True(JobWording.TryParseState(state.ToWire(), out var parsed));
            Assert.Equal(state, parsed);
        }

        foreach (var result in Enum.GetValues<JobResult>())
        {
            Assert.True(JobWording.TryParseResult(result.ToWire(), out var parsed));
            Assert.Equal(result, parsed);
        }

        Assert.Equal("parallel_restarted", JobResult.ParallelRestarted.ToWire());
        Assert.Equal("timeout_exceeded", JobResult.TimeoutExceeded.ToWire());
        Assert.False(JobWording.TryParseResult("bogus", out _));
    }
}
