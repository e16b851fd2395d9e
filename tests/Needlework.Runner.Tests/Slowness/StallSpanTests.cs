using Needlework.Runner.Slowness;

namespace Needlework.Runner.Tests.Slowness;

public sealed class StallSpanTests
{
    [Fact]
    public void Keeps_the_longest_stalls_the_earlier_of_equal_ones_in_time_order()
    {
        StallSpan[] stalls = [new(0, 5), new(10, 30), new(40, 45), new(50, 70), new(80, 81), new(90, 95)];

        var longest = StallSpan.Longest(stalls, 3);

        // Three of length 5 tie for the third place: the earliest, (0, 5), is kept.
        Assert.Equal([new StallSpan(0, 5), new StallSpan(10, 30), new StallSpan(50, 70)], longest);
    }

    [Fact]
    public void Fewer_stalls_than_kept_are_all_kept_in_time_order()
    {
        Assert.Equal([new StallSpan(1, 9), new StallSpan(20, 21)], StallSpan.Longest([new(20, 21), new(1, 9)], 20));
        Assert.Empty(StallSpan.Longest([], 20));
    }
}
