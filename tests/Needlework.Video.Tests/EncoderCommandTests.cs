namespace Needlework.Video.Tests;

public sealed class EncoderCommandTests
{
    [Fact]
    public void DefaultIsVp9WebmFromPpmOnStdinAt24FramesPerSecond()
    {
        var command = EncoderCommand.For(new VideoEncoderOptions { OutputPath = "video.webm" });

        Assert.Equal("nice", command.FileName);
        var args = string.Join(' ', command.Arguments);
        Assert.StartsWith("-n 10 ffmpeg ", args, StringComparison.Ordinal);
        Assert.Contains("-f matroska -vcodec ppm -i - -fps_mode passthrough ", args, StringComparison.Ordinal);
        Assert.Contains("-c:v libvpx-vp9 -deadline realtime -cpu-used 5", args, StringComparison.Ordinal);
        Assert.Equal("video.webm", command.Arguments[^1]);
        Assert.True(command.Timestamped);
    }

    [Theory]
    [InlineData(VideoCodec.Vp8, "-c:v libvpx ", true)]
    [InlineData(VideoCodec.Theora, "-c:v libtheora ", false)]
    public void OtherCodecs(VideoCodec codec, string expected, bool timestamped)
    {
        var command = EncoderCommand.For(new VideoEncoderOptions { OutputPath = "video.x", Codec = codec, Niceness = 0, FramesPerSecond = 10 });

        Assert.Equal("ffmpeg", command.FileName);
        var args = string.Join(' ', command.Arguments) + " ";
        Assert.Contains(expected, args, StringComparison.Ordinal);
        Assert.Equal(timestamped, command.Timestamped);

        // Theora in Ogg cannot show a frame longer than the frame rate says: it gets a plain stream with every repeat.
        Assert.Equal(!timestamped, args.Contains("-f image2pipe -vcodec ppm -framerate 10 -i - ", StringComparison.Ordinal));
    }

    [Fact]
    public void ExternalCommandGetsThePlaceholderReplaced()
    {
        var command = EncoderCommand.For(new VideoEncoderOptions
        {
            OutputPath = "out dir/video.webm",
            ExternalCommand = "my-encoder --out %OUTPUT_FILE_NAME% --fast",
            Niceness = 0,
        });

        Assert.Equal("/bin/sh", command.FileName);
        Assert.Equal(["-c", "my-encoder --out out dir/video.webm --fast"], command.Arguments);
        Assert.False(command.Timestamped, "an external command reads a plain PPM stream, as os-autoinst gives it");
    }

    [Fact]
    public void ExternalCommandWithoutPlaceholderGetsTheQuotedPathAppended()
    {
        Assert.Equal("enc -q 'it'\\''s/video.webm'", EncoderCommand.ExpandExternal("enc -q", "it's/video.webm"));
    }

    [Fact]
    public void DisplayFormQuotesWhatTheShellWouldSplit()
    {
        var command = new EncoderCommand("ffmpeg", ["-i", "-", "my video.webm"]);

        Assert.Equal("ffmpeg -i - 'my video.webm'", command.ToString());
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoEncoder.Start(new VideoEncoderOptions { OutputPath = "v.webm", QueueCapacity = 0 }));
        Assert.Throws<ArgumentException>(() => VideoEncoder.Start(new VideoEncoderOptions { OutputPath = " " }));
    }
}
