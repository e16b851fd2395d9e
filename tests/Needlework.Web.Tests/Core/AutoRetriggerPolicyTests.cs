using Needlework.Core.Jobs;

namespace Needlework.Web.Tests.Core;

public sealed class AutoRetriggerPolicyTests
{
    private static readonly KnownFailure Retrigger = new() { Name = "vnc", ReasonPattern = "VNC", Retrigger = true };

    [Fact]
    public void OffByDefault()
    {
        Assert.False(AutoRetriggerPolicy.Off.Enabled);
        Assert.Equal(20, AutoRetriggerPolicy.Off.Limit);
        Assert.False(AutoRetriggerPolicy.Off.Decide(JobResult.Incomplete, "backend died: VNC timeout", Retrigger, 0).Retrigger);
    }

    [Fact]
    public void KnownFailureWithRetriggerIsCloned()
    {
        var policy = new AutoRetriggerPolicy { Enabled = true };
        var decision = policy.Decide(JobResult.Incomplete, "backend died: VNC timeout", Retrigger, 2);
        Assert.True(decision.Retrigger);
        Assert.Contains("retry 3 of 20", decision.Note, StringComparison.Ordinal);
        Assert.False(policy.Decide(JobResult.Incomplete, "x", new KnownFailure { Name = "n", ReasonPattern = "x", Retrigger = false }, 0).Retrigger);
    }

    [Fact]
    public void OpenQaRegexAppliesToIncompleteJobsOnly()
    {
        var policy = new AutoRetriggerPolicy { Enabled = true, AutoCloneRegex = AutoRetriggerPolicy.OpenQaDefaultRegex };
        Assert.True(policy.Decide(JobResult.Incomplete, "backend died: unable to connect VNC: timed out", null, 0).Retrigger);
        Assert.False(policy.Decide(JobResult.Failed, "backend died: unable to connect VNC: timed out", null, 0).Retrigger);
        Assert.False(policy.Decide(JobResult.Incomplete, "tests died: assert_screen", null, 0).Retrigger);
    }

    [Fact]
    public void LimitStopsRetriesWithANote()
    {
        var policy = new AutoRetriggerPolicy { Enabled = true, Limit = 3 };
        var decision = policy.Decide(JobResult.Incomplete, "VNC", Retrigger, 3);
        Assert.False(decision.Retrigger);
        Assert.StartsWith("Not retriggered", decision.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void UserDecisionsAndPassesAreNeverRetriggered()
    {
        var policy = new AutoRetriggerPolicy { Enabled = true };
        foreach (var result in new[] { JobResult.Passed, JobResult.Softfailed, JobResult.UserCancelled, JobResult.UserRestarted, JobResult.Obsoleted })
        {
            Assert.Equal(RetriggerDecision.No, policy.Decide(result, "VNC", Retrigger, 0));
        }
    }

    [Fact]
    public void AncestorsAreCountedUntilTheFirstSuccess()
    {
        Assert.Equal(2, AutoRetriggerPolicy.CountConsecutiveFailedAncestors([JobResult.Incomplete, JobResult.Failed, JobResult.Passed, JobResult.Incomplete]));
        Assert.Equal(0, AutoRetriggerPolicy.CountConsecutiveFailedAncestors([]));
    }
}
