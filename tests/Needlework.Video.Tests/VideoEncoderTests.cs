using System.Diagnostics;
using Needlework.Imaging.Frames;

namespace Needlework.Video.Tests;

[Collection(FfmpegCollection.Name)]
public sealed class VideoEncoderTests
{
    private const int Budget = 120_000;

    private static readonly TimeSpan CompletionBudget = TimeSpan.FromSeconds(60);

    [Fact(Timeout = Budget)]
    public async Task FfmpegWithTheNeededEncodersIsInstalled()
    {
        var (code, output, error) = await Tools.RunAsync("ffmpeg", ["-hide_banner", "-encoders"], TimeSpan.FromSeconds(30));

        Assert.True(code == 0, $"ffmpeg -encoders failed (install it with scripts/setup.sh): {error}");
        Assert.Contains("libvpx-vp9", output, StringComparison.Ordinal);
        Assert.Contains(" libvpx ", output, StringComparison.Ordinal);
        Assert.Contains("libtheora", output, StringComparison.Ordinal);
    }

    [Theory(Timeout = Budget)]
    [InlineData(VideoCodec.Vp9, "video.webm", true)]
    [InlineData(VideoCodec.Vp8, "video.webm", true)]
    [InlineData(VideoCodec.Theora, "video.ogv", false)]
    public async Task EveryFrameAndRepeatKeepsItsTimeInTheVideo(VideoCodec codec, string fileName, bool timestamped)
    {
        using var dir = new TempDirectory();
        var log = new StringWriter();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File(fileName),
            TimelinePath = dir.File("video_time.vtt"),
            Codec = codec,
            QueueCapacity = 64,
            EncoderLog = TextWriter.Synchronized(log),
        };
        var frames = Enumerable.Range(0, 20).Select(TestFrames.Make).ToList();

        // 20 new screens and 10 unchanged ones: every third capture repeats the screen before it, the last is new.
        await using var encoder = VideoEncoder.Start(options);
        var sent = new List<Frame>();
        var newScreenTimes = new List<double>();
        var next = 0;
        for (var capture = 0; capture < 30; capture++)
        {
            if (capture % 3 == 1)
            {
                encoder.AddRepeat();
                if (!timestamped)
                {
                    sent.Add(sent[^1]);
                }
            }
            else
            {
                encoder.AddFrame(frames[next]);
                sent.Add(frames[next++]);
                newScreenTimes.Add(capture / 24.0);
            }
        }

        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(result.Succeeded, result.ErrorReason);
        Assert.Equal(0, result.ExitCode);
        var stats = result.Statistics;
        Assert.Equal(20, stats.FramesWritten);
        Assert.Equal(10, stats.RepeatsWritten);
        Assert.Equal(0, stats.FramesDropped);
        var envelope = timestamped ? TimestampedPpmStream.Header(TestFrames.Width, TestFrames.Height, 24).Length + (sent.Count * TimestampedPpmStream.FrameOverhead) : 0;
        Assert.Equal(sent.Sum(TestFrames.EncodedSize) + envelope, stats.BytesWritten);
        Assert.InRange(stats.MaxQueueDepth, 1, 30);
        Assert.True(stats.WriteTimeP50Ms > 0 && stats.WriteTimeP50Ms <= stats.WriteTimeP95Ms && stats.WriteTimeP95Ms <= stats.WriteTimeMaxMs);
        Assert.True(stats.EncoderCpuTime > TimeSpan.Zero, "encoder CPU time was read from /proc");
        Assert.True(stats.FramesEncoded == sent.Count, $"encoder reported {stats.FramesEncoded} frames, {sent.Count} were sent; its output:\n{log}");

        // A coded frame per new screen, each at its capture's time: with timestamps a repeat is the frame before it
        // shown longer; Theora codes a repeat as an empty packet, which Ogg leaves out.
        var (videoFrames, duration) = await Tools.ProbeAsync(options.OutputPath);
        Assert.Equal(20, videoFrames);
        var packetTimes = await Tools.PacketTimesAsync(options.OutputPath);
        Assert.Equal(newScreenTimes.Count, packetTimes.Count);
        Assert.All(newScreenTimes.Zip(packetTimes), pair => Assert.Equal(pair.First, pair.Second, 0.002));
        Assert.Equal(30 / 24.0, duration, 0.002);

        var cues = VttCues.Read(options.TimelinePath!);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), cues.Select(c => c.Frame));
        Assert.All(cues.Zip(cues.Skip(1)), pair =>
        {
            Assert.Equal(pair.First.End, pair.Second.Start);
            Assert.True(pair.Second.Start > pair.First.Start);
            Assert.True(pair.Second.WallClock >= pair.First.WallClock);
        });
        Assert.Equal(TimeSpan.FromMilliseconds(1250), cues[^1].End);

        Assert.Contains("Lsize=", log.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Budget)]
    public async Task VideoEndingOnAnUnchangedScreenLastsToItsEnd()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions { OutputPath = dir.File("video.webm"), TimelinePath = dir.File("video_time.vtt"), QueueCapacity = 64 };

        // Two screens, then the second one unchanged for 46 captures (two seconds of video): the encoder gets the
        // second screen once more at the end, at the time of the last capture, and nothing for the repeats between.
        await using var encoder = VideoEncoder.Start(options);
        encoder.AddFrame(TestFrames.Make(1));
        encoder.AddFrame(TestFrames.Make(2));
        for (var i = 0; i < 46; i++)
        {
            encoder.AddRepeat();
        }

        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(result.Succeeded, result.ErrorReason);
        Assert.Equal(2, result.Statistics.FramesWritten);
        Assert.Equal(46, result.Statistics.RepeatsWritten);
        Assert.Equal(TimestampedPpmStream.Header(TestFrames.Width, TestFrames.Height, 24).Length + (3 * (TimestampedPpmStream.FrameOverhead + TestFrames.EncodedSize(TestFrames.Make(2)))),
            result.Statistics.BytesWritten);
        var (frames, duration) = await Tools.ProbeAsync(options.OutputPath);
        Assert.Equal(3, frames);
        Assert.Equal(2.0, duration, 0.002);
        var times = await Tools.PacketTimesAsync(options.OutputPath);
        Assert.Equal([0, 1 / 24.0, 47 / 24.0], times.Select(t => Math.Round(t * 24) / 24));
        Assert.Equal(48, VttCues.Read(options.TimelinePath!).Count);
    }

    [Fact(Timeout = Budget)]
    public async Task ExternalCommandReadsExactlyThePpmFramesAndRepeats()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("frames.ppm-stream"),
            ExternalCommand = "cat > %OUTPUT_FILE_NAME%",
            QueueCapacity = 16,
        };
        List<Frame> expected = [TestFrames.Make(1), TestFrames.Make(1), TestFrames.Make(2), TestFrames.Make(2), TestFrames.Make(2), TestFrames.Make(3)];

        await using (var encoder = VideoEncoder.Start(options))
        {
            encoder.AddFrame(expected[0]);
            encoder.AddRepeat();
            encoder.AddFrame(expected[2]);
            encoder.AddRepeat();
            encoder.AddRepeat();
            encoder.AddFrame(expected[5]);
            var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);
            Assert.True(result.Succeeded, result.ErrorReason);
            Assert.Equal(6, result.Statistics.VideoFrames);
        }

        var stream = File.ReadAllBytes(options.OutputPath);
        var size = TestFrames.EncodedSize(expected[0]);
        Assert.Equal(expected.Count * size, stream.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            var frame = Ppm.Read(stream.AsSpan(i * size, size), $"frame {i}");
            Assert.True(frame.ContentEquals(expected[i]), $"frame {i} differs");
        }
    }

    [Fact(Timeout = Budget)]
    public async Task ExternalFfmpegCommandLineGetsTheOutputPathAppended()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("my video.webm"),
            ExternalCommand = "ffmpeg -y -hide_banner -nostats -f image2pipe -vcodec ppm -framerate 24 -i - -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -pix_fmt yuv420p",
            QueueCapacity = 16,
        };

        await using var encoder = VideoEncoder.Start(options);
        for (var i = 0; i < 12; i++)
        {
            encoder.AddFrame(TestFrames.Make(i));
        }

        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(result.Succeeded, result.ErrorReason);
        Assert.Equal(12, (await Tools.ProbeAsync(options.OutputPath)).Frames);
    }

    [Fact(Timeout = Budget)]
    public async Task SlowEncoderCostsDroppedFramesNotCaptureTime()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("slow.ppm-stream"),
            TimelinePath = dir.File("video_time.vtt"),
            ExternalCommand = "sleep 2; cat > %OUTPUT_FILE_NAME%",
            QueueCapacity = 4,
        };
        var frames = Enumerable.Range(0, 4).Select(TestFrames.Make).ToList();

        await using var encoder = VideoEncoder.Start(options);
        var costs = new List<TimeSpan>();
        for (var i = 0; i < 40; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (i % 4 == 3)
            {
                encoder.AddRepeat();
            }
            else
            {
                encoder.AddFrame(frames[i % 4]);
            }

            costs.Add(Stopwatch.GetElapsedTime(started));
            await Task.Delay(10);
        }

        var during = encoder.GetStatistics();
        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        // The first call pays for JIT compilation; the rest are what capture pays on every frame.
        var steady = costs.Skip(1).Order().ToList();
        Assert.True(steady[^1] < TimeSpan.FromMilliseconds(50), $"AddFrame/AddRepeat took up to {steady[^1].TotalMilliseconds:F3} ms");
        Assert.True(steady[steady.Count / 2] < TimeSpan.FromMilliseconds(1), $"median AddFrame/AddRepeat {steady[steady.Count / 2].TotalMilliseconds:F3} ms");
        Assert.True(during.FramesDropped > 0, "frames are dropped while the encoder does not read");
        Assert.Equal(options.QueueCapacity, during.MaxQueueDepth);
        Assert.True(result.Succeeded, result.ErrorReason);
        Assert.Equal(40, result.Statistics.VideoFrames + result.Statistics.FramesDropped);
        Assert.Equal(result.Statistics.BytesWritten, new FileInfo(options.OutputPath).Length);
        Assert.Equal(result.Statistics.VideoFrames, VttCues.Read(options.TimelinePath!).Count);
    }

    [Fact(Timeout = Budget)]
    public async Task EncoderKilledMidRunIsReportedNotThrown()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("video.webm"),
            TimelinePath = dir.File("video_time.vtt"),
            QueueCapacity = 8,
        };
        var frames = Enumerable.Range(0, 4).Select(TestFrames.Make).ToList();

        await using var encoder = VideoEncoder.Start(options);
        for (var i = 0; i < 6; i++)
        {
            encoder.AddFrame(frames[i % 4]);
            await Task.Delay(20);
        }

        await WaitUntilAsync(() => encoder.GetStatistics().FramesWritten == 6);
        using (var victim = Process.GetProcessById(encoder.ProcessId!.Value))
        {
            victim.Kill();
        }

        await WaitUntilAsync(() => encoder.FailureReason is not null);
        for (var i = 0; i < 10; i++)
        {
            encoder.AddFrame(frames[i % 4]);
            encoder.AddRepeat();
        }

        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.StartsWith("video encoder exited with code 137: ", result.ErrorReason, StringComparison.Ordinal);
        Assert.Equal(137, result.ExitCode);
        Assert.Equal(6, result.Statistics.FramesWritten);
        Assert.Equal(20, result.Statistics.FramesDropped);
        Assert.False(result.Succeeded);
        Assert.Equal(6, VttCues.Read(options.TimelinePath!).Count);
        Assert.False(Tools.IsAlive(encoder.ProcessId.Value));
    }

    [Fact(Timeout = Budget)]
    public async Task EncoderThatNeverReadsIsKilledAfterTheDrainTimeout()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("video.webm"),
            ExternalCommand = "sleep 1000; : %OUTPUT_FILE_NAME%",
            DrainTimeout = TimeSpan.FromSeconds(1),
            ExitTimeout = TimeSpan.FromSeconds(1),
        };

        await using var encoder = VideoEncoder.Start(options);
        var tree = await ProcessTreeAsync(encoder.ProcessId!.Value);
        for (var i = 0; i < 5; i++)
        {
            encoder.AddFrame(TestFrames.Make(i));
        }

        var started = Stopwatch.GetTimestamp();
        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "bounded waits, then a kill");
        Assert.Contains("killed", result.ErrorReason, StringComparison.Ordinal);
        Assert.True(result.VideoMissing);
        Assert.Equal(5, result.Statistics.FramesDropped);
        Assert.All(tree, pid => Assert.False(Tools.IsAlive(pid), $"process {pid} of the encoder's tree survived"));
    }

    [Fact(Timeout = Budget)]
    public async Task EncoderThatDoesNotExitAfterItsInputClosesIsKilledWithItsChildren()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("frames.ppm-stream"),
            ExternalCommand = "cat > %OUTPUT_FILE_NAME%; sleep 1000",
            ExitTimeout = TimeSpan.FromSeconds(1),
        };

        await using var encoder = VideoEncoder.Start(options);
        var tree = await ProcessTreeAsync(encoder.ProcessId!.Value);
        encoder.AddFrame(TestFrames.Make(0));
        encoder.AddRepeat();

        var started = Stopwatch.GetTimestamp();
        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "bounded wait, then a kill");
        Assert.StartsWith("video encoder did not exit within 1 s", result.ErrorReason, StringComparison.Ordinal);
        Assert.Equal(2, result.Statistics.VideoFrames);
        Assert.Equal(0, result.Statistics.FramesDropped);
        Assert.False(result.VideoMissing);
        Assert.All(tree.Append(encoder.ProcessId.Value), pid => Assert.False(Tools.IsAlive(pid), $"process {pid} of the encoder's tree survived"));
        Assert.Empty(Tools.Descendants(encoder.ProcessId.Value));
    }

    [Fact(Timeout = Budget)]
    public async Task DisposeWithoutCompletingReapsTheEncoder()
    {
        using var dir = new TempDirectory();
        int pid;
        await using (var encoder = VideoEncoder.Start(new VideoEncoderOptions { OutputPath = dir.File("video.webm") }))
        {
            pid = encoder.ProcessId!.Value;
            encoder.AddFrame(TestFrames.Make(0));
        }

        Assert.False(Tools.IsAlive(pid));
    }

    [Fact(Timeout = Budget)]
    public async Task SynchronousDisposeReapsTheEncoderToo()
    {
        using var dir = new TempDirectory();
        var encoder = VideoEncoder.Start(new VideoEncoderOptions { OutputPath = dir.File("video.webm") });
        var pid = encoder.ProcessId!.Value;
        encoder.AddFrame(TestFrames.Make(0));

        encoder.Dispose();

        Assert.False(Tools.IsAlive(pid));
        Assert.NotNull(encoder.FailureReason);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Budget)]
    public async Task MissingEncoderProgramIsAReasonNotAnException()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions { OutputPath = dir.File("video.webm"), FfmpegPath = "/nonexistent/ffmpeg", Niceness = 0 };

        await using var encoder = VideoEncoder.Start(options);
        encoder.AddFrame(TestFrames.Make(0));
        encoder.AddRepeat();
        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.StartsWith("video encoder could not start: ", result.ErrorReason, StringComparison.Ordinal);
        Assert.True(result.VideoMissing);
        Assert.Equal(2, result.Statistics.FramesDropped);
        Assert.Null(encoder.ProcessId);
    }

    [Fact(Timeout = Budget)]
    public async Task CancelledCompletionStillReapsTheEncoder()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions { OutputPath = dir.File("video.webm"), ExternalCommand = "cat > /dev/null; sleep 1000; : %OUTPUT_FILE_NAME%" };
        await using var encoder = VideoEncoder.Start(options);
        var tree = await ProcessTreeAsync(encoder.ProcessId!.Value);
        encoder.AddFrame(TestFrames.Make(0));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => encoder.CompleteAsync(cts.Token).WaitAsync(CompletionBudget));

        Assert.Equal("video encoding was cancelled before the encoder finished", encoder.FailureReason);
        Assert.All(tree.Append(encoder.ProcessId.Value), pid => Assert.False(Tools.IsAlive(pid)));
    }

    [Fact(Timeout = Budget)]
    public async Task UnwritableTimelineCostsOnlyTheTimeline()
    {
        using var dir = new TempDirectory();
        var options = new VideoEncoderOptions
        {
            OutputPath = dir.File("frames.ppm-stream"),
            TimelinePath = dir.File("missing-folder/video_time.vtt"),
            ExternalCommand = "cat > %OUTPUT_FILE_NAME%",
        };

        await using var encoder = VideoEncoder.Start(options);
        encoder.AddFrame(TestFrames.Make(0));
        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(result.Succeeded, result.ErrorReason);
        Assert.Equal(1, result.Statistics.FramesWritten);
    }

    [Fact(Timeout = Budget)]
    public async Task JobWithoutFramesSaysSoPlainly()
    {
        using var dir = new TempDirectory();
        await using var encoder = VideoEncoder.Start(new VideoEncoderOptions { OutputPath = dir.File("video.webm") });
        encoder.AddRepeat();

        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.Equal("no frames were captured, so there is no video", result.ErrorReason);
        Assert.True(result.VideoMissing);
        Assert.Equal(1, result.Statistics.FramesDropped);
        Assert.False(Tools.IsAlive(encoder.ProcessId!.Value));
    }

    [Fact(Timeout = Budget)]
    public async Task RelativeOutputPathIsResolvedOnce()
    {
        using var dir = new TempDirectory();
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, dir.File("video.webm"));
        await using var encoder = VideoEncoder.Start(new VideoEncoderOptions { OutputPath = relative, ExternalCommand = "cat > %OUTPUT_FILE_NAME%" });
        encoder.AddFrame(TestFrames.Make(0));

        var result = await encoder.CompleteAsync(CancellationToken.None).WaitAsync(CompletionBudget);

        Assert.True(result.Succeeded, result.ErrorReason);
        Assert.Equal(dir.File("video.webm"), result.VideoPath);
        Assert.True(File.Exists(dir.File("video.webm")));
    }

    [Fact(Timeout = Budget)]
    public async Task NoVideoSinkTakesFramesAndReportsNothingMissing()
    {
        await using var sink = new NoVideoSink();
        sink.AddFrame(TestFrames.Make(0));
        sink.AddRepeat();

        var result = await sink.CompleteAsync(CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Null(result.VideoPath);
        Assert.Equal(VideoSinkStatistics.Empty, sink.GetStatistics());
    }

    /// <summary>The encoder's shell and its child, once the child has been forked.</summary>
    private static async Task<List<int>> ProcessTreeAsync(int pid)
    {
        await WaitUntilAsync(() => Tools.Descendants(pid).Count > 0);
        return Tools.Descendants(pid);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
