namespace Needlework.Video.Tests;

public sealed class ProcessCpuTimeTests
{
    [Fact]
    public void ReadsOwnAndReapedChildrenTicksAfterAnAwkwardCommandName()
    {
        // Fields from a real /proc/<pid>/stat; the command name holds a space and parentheses.
        const string stat = "4242 (ff (my) peg) S 1 4242 4242 0 -1 4194304 2345 0 0 0 153 47 60 40 30 10 3 0 123456 1000000 5000 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        Assert.Equal(TimeSpan.FromSeconds(3.0), ProcessCpuTime.Parse(stat));
    }

    [Fact]
    public void GarbageIsUnknown()
    {
        Assert.Null(ProcessCpuTime.Parse("nonsense"));
        Assert.Null(ProcessCpuTime.Parse("1 (x) S 1 2"));
    }

    [Fact]
    public void OwnProcessHasSpentSomeCpu()
    {
        Assert.True(ProcessCpuTime.TryRead(Environment.ProcessId) > TimeSpan.Zero);
    }

    [Fact]
    public void PercentilesAreNearestRank()
    {
        float[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, WriteTimes.Percentile(sorted, 0.50));
        Assert.Equal(10, WriteTimes.Percentile(sorted, 0.95));
        Assert.Equal(7, WriteTimes.Percentile([7], 0.95));
    }
}
