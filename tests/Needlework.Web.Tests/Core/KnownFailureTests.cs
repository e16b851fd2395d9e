using Needlework.Core.Jobs;

namespace Needlework.Web.Tests.Core;

public sealed class KnownFailureTests
{
    [Fact]
    public void ReasonPatternIsSearched()
    {
        var f = new KnownFailure { Name = "vnc", ReasonPattern = "backend died: .*VNC.*(timeout|refused)" };
        Assert.True(f.Matches("backend died: VNC server refused", null));
        Assert.False(f.Matches("tests died: x", null));
        Assert.False(f.Matches(null, "slow_sut"));
    }

    [Fact]
    public void CategoryPatternMatchesTheWholeCategory()
    {
        var f = new KnownFailure { Name = "slow", CategoryPattern = "slow_.*" };
        Assert.True(f.Matches("anything", "slow_worker"));
        Assert.False(f.Matches("anything", "very_slow_worker"));
        Assert.False(f.Matches("anything", null));
    }

    [Fact]
    public void BothPatternsMustMatchWhenBothAreGiven()
    {
        var f = new KnownFailure { Name = "both", ReasonPattern = "^backend", CategoryPattern = "slow_sut" };
        Assert.True(f.Matches("backend too slow", "slow_sut"));
        Assert.False(f.Matches("backend too slow", "slow_worker"));
        Assert.False(f.Matches("tests died", "slow_sut"));
    }

    [Fact]
    public void ValidationRefusesEmptyAndBrokenPatterns()
    {
        Assert.NotNull(new KnownFailure { Name = "x" }.Validate());
        Assert.NotNull(new KnownFailure { Name = "", ReasonPattern = "a" }.Validate());
        Assert.NotNull(new KnownFailure { Name = "x", ReasonPattern = "(" }.Validate());
        Assert.Null(new KnownFailure { Name = "x", ReasonPattern = "a" }.Validate());
        Assert.False(new KnownFailure { Name = "x" }.Matches("a", "b"));
    }

    [Fact]
    public void FirstMatchUsesTheBackendCategory()
    {
        var list = new[] { new KnownFailure { Id = 1, Name = "a", ReasonPattern = "nomatch" }, new KnownFailure { Id = 2, Name = "b", CategoryPattern = "slow_sut" } };
        Assert.Equal(2, KnownFailure.FirstMatch(list, "x", new BackendReason("backend", "slow_sut", "m"))!.Id);
        Assert.Null(KnownFailure.FirstMatch(list, "x", null));
    }
}
