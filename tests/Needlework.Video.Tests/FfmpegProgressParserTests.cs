namespace Needlework.Video.Tests;

public sealed class FfmpegProgressParserTests
{
    private static List<string> FixtureLines(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name))
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();

    [Fact]
    public void Vp9RunEndsWithAFinalLineCountingEveryFrame()
    {
        var progress = FixtureLines("ffmpeg-vp9.stderr.txt")
            .Select(line => FfmpegProgressParser.TryParse(line, out var p) ? p : null)
            .OfType<FfmpegProgress>()
            .ToList();

        Assert.True(progress.Count >= 2, "the fixture holds intermediate progress lines and the final one");
        Assert.Equal(progress.Select(p => p.Frame).Order(), progress.Select(p => p.Frame));
        var last = progress[^1];
        Assert.True(last.IsFinal);
        Assert.Equal(48, last.Frame);
        Assert.Equal(TimeSpan.FromSeconds(1.95), last.Time);
        Assert.NotNull(last.Speed);
        Assert.All(progress[..^1], p => Assert.False(p.IsFinal));
    }

    [Fact]
    public void TheoraRunReportsSpeedAndRate()
    {
        var last = FixtureLines("ffmpeg-theora.stderr.txt")
            .Select(line => FfmpegProgressParser.TryParse(line, out var p) ? p : null)
            .OfType<FfmpegProgress>()
            .Last();

        Assert.Equal(48, last.Frame);
        Assert.Equal(30, last.FramesPerSecond);
        Assert.Equal(1.24, last.Speed);
        Assert.Equal(TimeSpan.FromSeconds(2), last.Time);
    }

    [Fact]
    public void FailureOutputHasNoProgressAndEndsWithTheCause()
    {
        var lines = FixtureLines("ffmpeg-no-output-dir.stderr.txt");

        Assert.All(lines, line => Assert.False(FfmpegProgressParser.TryParse(line, out _), line));
        Assert.EndsWith("No such file or directory", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frame=    1 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=N/A", 1, 0.0, null)]
    [InlineData("frame=   13 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x", 13, 0.0, 0.0)]
    [InlineData("frame=    1 fps=0.0 q=-0.0 size=       3kB time=00:00:00.04 bitrate= 648.6kbits/s speed=4.17e+04x", 1, 0.0, 41700.0)]
    [InlineData("frame= 1234 fps= 24 q=31.0 size=    1024kB time=-577014:32:22.77 bitrate=N/A dup=0 drop=3 speed=0.998x", 1234, 24.0, 0.998)]
    public void ParsesPaddedFieldsAndMissingValues(string line, long frame, double fps, double? speed)
    {
        Assert.True(FfmpegProgressParser.TryParse(line, out var progress));
        Assert.Equal(frame, progress!.Frame);
        Assert.Equal(fps, progress.FramesPerSecond);
        Assert.Equal(speed, progress.Speed);
        Assert.False(progress.IsFinal);
    }

    [Fact]
    public void NegativeStartUpTimeIsUnknown()
    {
        Assert.True(FfmpegProgressParser.TryParse("frame=    2 fps=0.0 q=0.0 size=0kB time=-577014:32:22.77 bitrate=N/A speed=N/A", out var progress));
        Assert.Null(progress!.Time);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Input #0, image2pipe, from 'pipe:':")]
    [InlineData("video:31kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 2.635437%")]
    [InlineData("frame=")]
    [InlineData("frame=abc fps=1")]
    public void OtherLinesAreNotProgress(string line)
    {
        Assert.False(FfmpegProgressParser.TryParse(line, out var progress));
        Assert.Null(progress);
    }
}
