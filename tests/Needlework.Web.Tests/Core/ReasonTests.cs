using Needlework.Core.Jobs;

namespace Needlework.Web.Tests.Core;

public sealed class ReasonTests
{
    [Fact]
    public void ReasonsUseOpenQaWording()
    {
        Assert.Equal("abandoned: associated worker w1:3 has not sent any status updates for too long", JobReason.Abandoned("w1", 3));
        Assert.Equal("backend died: VNC timeout", JobReason.BackendDied("VNC timeout"));
        Assert.Equal("timeout: test execution exceeded MAX_JOB_TIME", JobReason.JobTimeout);
        Assert.Equal("timeout: setup exceeded MAX_SETUP_TIME", JobReason.SetupTimeout);
        Assert.Equal("asset failure: missing", JobReason.AssetFailure("missing"));
    }

    [Fact]
    public void ReasonsAreCutAt300Characters()
    {
        var cut = JobReason.BackendDied(new string('x', 1000));
        Assert.Equal(300, cut.Length);
        Assert.EndsWith("...", cut, StringComparison.Ordinal);
        Assert.Equal("short", JobReason.Cut("short"));
        Assert.Null(JobReason.Cut(null));
    }

    [Fact]
    public void NotesAreAppendedWithinTheLimit()
    {
        Assert.Equal("backend died: x [retried]", JobReason.AppendNote("backend died: x", "retried"));
        var long1 = JobReason.AppendNote(new string('y', 299), "Auto-retriggered: matches known failure");
        Assert.True(long1.Length <= 300);
        Assert.EndsWith("[Auto-retriggered: matches known failure]", long1, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendReasonRoundTripsThroughJson()
    {
        using var stats = JsonDocument.Parse("""{"max_stall_s": 12.5}""");
        var backend = new BackendReason("backend", BackendReason.SlowSut, "42% stalled", stats.RootElement.Clone());
        var parsed = BackendReason.Parse(backend.ToJson())!;
        Assert.Equal("backend", parsed.Component);
        Assert.Equal("slow_sut", parsed.Category);
        Assert.True(parsed.IsSlowness);
        Assert.Equal(12.5, parsed.Statistics!.Value.GetProperty("max_stall_s").GetDouble());
        Assert.Contains("\"component\":\"backend\"", backend.ToJson(), StringComparison.Ordinal);
        Assert.Null(BackendReason.Parse(" "));
        Assert.Throws<JsonException>(() => BackendReason.Parse("[1]"));
        Assert.ThrowsAny<JsonException>(() => BackendReason.Parse("{"));
    }

    [Fact]
    public void ModuleResultsAddUpLikeOpenQa()
    {
        Assert.Equal(JobResult.Passed, ModuleResults.Overall(["ok", "ok"]));
        Assert.Equal(JobResult.Softfailed, ModuleResults.Overall(["ok", "softfail"]));
        Assert.Equal(JobResult.Failed, ModuleResults.Overall(["softfail", "fail", "skip"]));
        Assert.Equal(JobResult.None, ModuleResults.Overall([]));
        Assert.Equal("cancelled", ModuleResults.Normalize("canceled"));
    }

    [Fact]
    public void WorkerClassesMustAllBeOffered()
    {
        var job = JobSettings.ParseClasses("qemu_x86_64, tap");
        Assert.True(JobSettings.WorkerQualifies(JobSettings.ParseClasses("tap,qemu_x86_64,big"), job));
        Assert.False(JobSettings.WorkerQualifies(JobSettings.ParseClasses("qemu_x86_64"), job));
        Assert.True(JobSettings.WorkerQualifies(JobSettings.ParseClasses(""), JobSettings.ParseClasses(null)));
        Assert.False(JobSettings.IsValidKey("A B"));
        Assert.True(JobSettings.IsValidKey("HDD_1"));
    }

    [Fact]
    public void ThresholdsBecomeJobVariablesAndBack()
    {
        var t = new SlownessThresholds(10, 20, 60, 3);
        var settings = t.ToSettings();
        Assert.Equal("10", settings[SlownessThresholds.MaxStallVariable]);
        Assert.Equal(t, SlownessThresholds.FromSettings(settings));
        Assert.Empty(SlownessThresholds.None.ToSettings());
    }
}
