using Microsoft.Extensions.Configuration;
using Needlework.Core.Jobs;
using Needlework.Web.Artefacts;
using Needlework.Web.Auth;
using Needlework.Web.Pages;
using Needlework.Web.Statistics;

namespace Needlework.Web.Tests.Core;

public sealed class WebUnitTests
{
    [Theory]
    [InlineData("autoinst-log.txt", true)]
    [InlineData("boot-1.png", true)]
    [InlineData("video.webm", true)]
    [InlineData("../etc/passwd", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData(".hidden", false)]
    [InlineData("..", false)]
    [InlineData("", false)]
    [InlineData("x..y", false)]
    public void ArtefactNamesAreCheckedForTraversal(string name, bool safe) => Assert.Equal(safe, ArtefactName.IsSafe(name));

    [Fact]
    public void SignatureIsHexHmacSha1OverPathQueryAndTime() =>
        // Reference value computed independently: printf '/api/v1/jobs?TEST=x1700000000' | openssl dgst -sha1 -hmac 'SECRET'
        Assert.Equal("bc7459556ef17092c06e4e879fedace0598958e6", ApiKeyAuthentication.Sign("SECRET", "/api/v1/jobs?TEST=x1700000000"));

    [Fact]
    public void StatsDocumentReadsSummaryAndTimeline()
    {
        var doc = StatsDocument.Parse("""{"summary":{"max_stall_s":{"max":12.5},"stalled_percent":3,"load":1.5},"timeline":[{"t":0,"stall_s":0.5},{"t":1,"longest_gap_s":2},{"x":1}]}""");
        Assert.Equal(12.5, doc.MaxStallSeconds);
        Assert.Equal(3, doc.StalledPercent);
        Assert.Equal(1.5, doc.HostLoad);
        Assert.Equal(2, doc.Timeline.Count);
        Assert.Equal(2, doc.Timeline[1].StallSeconds);
        Assert.Throws<JsonException>(() => StatsDocument.Parse("[]"));
    }

    [Fact]
    public void SuggestionNeedsEnoughPassingJobsAndLeavesHeadroom()
    {
        Assert.Null(ThresholdSuggestion.FromSamples("c", [1.0, 2.0], [1.0]).Thresholds);
        var suggestion = ThresholdSuggestion.FromSamples("c", [1.0, 2, 2, 3, 4, 4, 4, 4, 4, 8], [1.0, 1, 1, 1, 10]);
        Assert.Equal(12, suggestion.Thresholds!.MaxStallSeconds);
        Assert.Equal(15, suggestion.Thresholds.MaxStalledPercent);
        Assert.Equal(60, suggestion.Thresholds.WindowSeconds);
        Assert.Equal(2, ThresholdSuggestion.Percentile([1.0, 2, 3, 4], 0.5)); // nearest rank
    }

    [Fact]
    public void StallTimelineDrawsThePolylineAndTheThreshold()
    {
        var svg = StallTimeline.Svg([new StallSample(0, 0.5, null, null), new StallSample(10, 12, null, null)], 10);
        Assert.Contains("<polyline", svg, StringComparison.Ordinal);
        Assert.Contains("class=\"threshold\"", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", StallTimeline.Svg([], null), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenQaIniAutoCloneKeysTurnAutoRetriggerOn()
    {
        var options = new AutoRetriggerOptions();
        Assert.False(options.ToPolicy().Enabled);
        Assert.True((options with { AutoCloneRegex = AutoRetriggerPolicy.OpenQaDefaultRegex }).ToPolicy().Enabled);
    }

    [Fact]
    public async Task AdminCanCreateAKeyWithoutARunningWebUi()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nw-admin-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Needlework:DataDirectory"] = dir }).Build();
            var key = await AdminTasks.CreateKeyAsync(configuration, "admin", null, CancellationToken.None);
            Assert.Equal(16, key.Key.Length);
            Assert.Equal(16, key.Secret.Length);
            Assert.True(File.Exists(Path.Combine(dir, "needlework.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
