namespace Needlework.Video.Tests;

public sealed class VideoTimelineTests
{
    private static readonly DateTimeOffset Wall = new(2024, 5, 1, 10, 11, 12, 345, TimeSpan.Zero);

    [Fact]
    public void CueAsOsAutoinstWritesIt()
    {
        Assert.Equal("\n0\n00:00:00.000 --> 00:00:00.041\n[2024-05-01T10:11:12.345]\n", VideoTimeline.FormatCue(0, Wall, 24));
        Assert.Equal("\n1\n00:00:00.041 --> 00:00:00.083\n[2024-05-01T10:11:12.345]\n", VideoTimeline.FormatCue(1, Wall, 24));
        Assert.Equal("\n24\n00:00:01.000 --> 00:00:01.041\n[2024-05-01T10:11:12.345]\n", VideoTimeline.FormatCue(24, Wall, 24));
    }

    [Fact]
    public void LongVideosCountHours()
    {
        // 2 h of video at 24 fps: frame 172,800 starts at 02:00:00.
        Assert.StartsWith("\n172800\n02:00:00.000 --> 02:00:00.041\n", VideoTimeline.FormatCue(172_800, Wall, 24), StringComparison.Ordinal);
    }

    [Fact]
    public void WallClockIsLocalTimeWithMillisecondsTruncated()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        using var dir = new TempDirectory();
        var path = dir.File("video_time.vtt");
        using (var timeline = VideoTimeline.Create(path, 24, zone))
        {
            timeline.Append(0, Wall.AddTicks(9_999));
        }

        Assert.Equal("WEBVTT\n\n0\n00:00:00.000 --> 00:00:00.041\n[2024-05-01T12:11:12.345]\n", File.ReadAllText(path));
    }

    [Fact]
    public void EachCueIsOnDiskBeforeTheNextOne()
    {
        using var dir = new TempDirectory();
        var path = dir.File("video_time.vtt");
        using var timeline = VideoTimeline.Create(path, 24, TimeZoneInfo.Utc);
        for (var i = 0; i < 3; i++)
        {
            timeline.Append(i, Wall.AddSeconds(i / 2.0));

            // Read while still open, as after a crash: every cue so far is complete.
            var cues = VttCues.Read(path);
            Assert.Equal(i + 1, cues.Count);
        }

        var all = VttCues.Read(path);
        Assert.Equal([0L, 1, 2], all.Select(c => c.Frame));
        Assert.Equal(new DateTime(2024, 5, 1, 10, 11, 13, 345), all[2].WallClock);
    }
}
