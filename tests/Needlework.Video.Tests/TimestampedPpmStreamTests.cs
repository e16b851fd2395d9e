using System.Globalization;
using System.Security.Cryptography;
using Needlework.Imaging.Frames;

namespace Needlework.Video.Tests;

/// <summary>The timestamp envelope as the real ffmpeg reads it back: the same PPM images, at the given times.</summary>
[Collection(FfmpegCollection.Name)]
public sealed class TimestampedPpmStreamTests
{
    [Fact(Timeout = 120_000)]
    public async Task FfmpegReadsBackEveryPpmAtItsTimeAlsoAfterASizeChange()
    {
        using var dir = new TempDirectory();
        var path = dir.File("frames.mkv");
        Frame[] frames = [TestFrames.Make(1), TestFrames.Make(2), Small(3), TestFrames.Make(4)];
        long[] times = [0, 41, 2000, 123_456];
        using (var file = File.Create(path))
        {
            file.Write(TimestampedPpmStream.Header(TestFrames.Width, TestFrames.Height, 24));
            var envelope = new byte[TimestampedPpmStream.FrameOverhead];
            for (var i = 0; i < frames.Length; i++)
            {
                var ppm = Ppm.Encode(frames[i]);
                Assert.Equal(TimestampedPpmStream.FrameOverhead, TimestampedPpmStream.WriteFrameHeader(ppm.Length, times[i], envelope));
                file.Write(envelope);
                file.Write(ppm);
            }
        }

        var (code, packets, error) = await Tools.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "packet=pts_time,size", "-of", "csv=p=0", path], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, error);
        var expected = frames.Select((f, i) => $"{times[i] / 1000.0:0.000000},{TestFrames.EncodedSize(f)}");
        Assert.Equal(expected, packets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        // Decoded as PPM (the codec is named, as the encoder command names it), each picture in its own size (an
        // encoder would scale the small one to the video's size): the MD5 of every picture's RGB pixels.
        (code, var md5s, error) = await Tools.RunAsync("ffmpeg",
            ["-v", "error", "-f", "matroska", "-vcodec", "ppm", "-i", path, "-fps_mode", "passthrough", "-autoscale", "0", "-f", "framemd5", "-"],
            TimeSpan.FromSeconds(60));
        Assert.True(code == 0, error);
        var decoded = md5s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Select(fields => (Size: int.Parse(fields[4], CultureInfo.InvariantCulture), Md5: fields[5]));
#pragma warning disable CA5351 // MD5 is what ffmpeg's framemd5 gives, a checksum here, not security.
        var pictures = frames.Select(f => (f.PixelMemory.Length, Convert.ToHexStringLower(MD5.HashData(f.PixelMemory.Span))));
#pragma warning restore CA5351
        Assert.Equal(pictures, decoded);
    }

    [Fact]
    public void FrameHeaderSaysHowLongTheClusterAndBlockAre()
    {
        var header = new byte[TimestampedPpmStream.FrameOverhead];
        TimestampedPpmStream.WriteFrameHeader(1000, 258, header);

        // Cluster id, size 1 + 1 + 8 + 1 + 8 + 4 + 1000 in eight bytes, timestamp 258 in eight, SimpleBlock with 4 + 1000.
        Assert.Equal(Convert.FromHexString("1F43B675" + "01000000000003FF" + "E788" + "0000000000000102" + "A3" + "01000000000003EC" + "81000080"), header);
    }

    private static Frame Small(int index)
    {
        var frame = new Frame(320, 200);
        frame.Pixels.Fill((byte)(index * 50));
        return frame;
    }
}
