using System.Text;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Tests.Frames;

public sealed class PpmTests
{
    [Fact]
    public void RoundTripKeepsEveryByte()
    {
        var frame = TestImages.Patch(37, 23, seed: 5);
        var bytes = Ppm.Encode(frame);

        var read = Ppm.Read(bytes, "memory");

        Assert.True(read.ContentEquals(frame));
        Assert.StartsWith("P6\n37 23\n255\n", Encoding.ASCII.GetString(bytes, 0, 13));
    }

    [Theory]
    [InlineData(720, 400)]
    [InlineData(1024, 768)]
    [InlineData(1280, 800)]
    [InlineData(1024, 400)]
    public void ReadFittedEqualsReadThenFitTo(int width, int height)
    {
        var screen = TestImages.Patch(width, height, seed: 9);
        var bytes = Ppm.Encode(screen);

        var fitted = Ppm.ReadFitted(bytes, "memory", 1024, 768, out var screenWidth, out var screenHeight);

        Assert.Equal((width, height), (screenWidth, screenHeight));
        Assert.True(fitted.ContentEquals(FrameScaler.FitTo(Ppm.Read(bytes, "memory"), 1024, 768)));
    }

    [Fact]
    public void ReadFittedRejectsWhatReadRejects()
    {
        var bytes = Ppm.Encode(TestImages.Patch(64, 48, seed: 1));
        var truncated = bytes.AsSpan(0, bytes.Length - 1).ToArray();

        var error = Assert.Throws<PpmFormatException>(() => Ppm.ReadFitted(truncated, "short.ppm", 1024, 768, out _, out _));
        Assert.Contains("short.ppm", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteToStreamEqualsEncode()
    {
        var frame = TestImages.Patch(64, 48, seed: 2);
        using var stream = new MemoryStream();
        Ppm.Write(frame, stream);
        Assert.Equal(Ppm.Encode(frame), stream.ToArray());
    }

    [Fact]
    public void HeaderMayHaveCommentsAndAnyWhitespace()
    {
        var pixels = new byte[2 * 1 * 3] { 1, 2, 3, 4, 5, 6 };
        var data = Encoding.ASCII.GetBytes("P6 # made by hand\n2\t1\r\n# maxval next\n255\n").Concat(pixels).ToArray();

        var frame = Ppm.Read(data, "hand.ppm");

        Assert.Equal((2, 1), (frame.Width, frame.Height));
        Assert.Equal(pixels, frame.ReadOnlyPixels.ToArray());
    }

    [Theory]
    [InlineData("P5\n2 1\n255\n", "expected magic \"P6\"", 0)]
    [InlineData("P6\n2 x\n255\n", "expected a decimal height", 5)]
    [InlineData("P6\n2 1\n65535\n", "maxval 65535 is not supported", 12)]
    [InlineData("P6\n2", "header ends before height", 4)]
    [InlineData("P6\n0 1\n255\n", "is empty", 10)]
    [InlineData("P6\n2 1\n255", "expected one whitespace byte after maxval", 10)]
    public void MalformedHeaderNamesWhatAndWhere(string header, string what, int offset)
    {
        var error = Assert.Throws<PpmFormatException>(() => Ppm.Read(Encoding.ASCII.GetBytes(header), "bad.ppm"));

        Assert.Contains("bad.ppm", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains($"at byte {offset})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedPixelDataIsAnErrorNotAPartialImage()
    {
        var bytes = Ppm.Encode(TestImages.Patch(100, 50, seed: 1));

        var error = Assert.Throws<PpmFormatException>(() => Ppm.Read(bytes.AsSpan(0, bytes.Length - 7), "cut.ppm"));

        Assert.Contains("truncated pixel data: 14993 of 15000 bytes for 100x50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingBytesAreAnError()
    {
        var bytes = Ppm.Encode(TestImages.Patch(10, 10, seed: 1)).Append((byte)0).ToArray();

        var error = Assert.Throws<PpmFormatException>(() => Ppm.Read(bytes, "long.ppm"));

        Assert.Contains("1 unexpected bytes after the pixel data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncationOfAValidFileFailsCleanly()
    {
        var bytes = Ppm.Encode(TestImages.Patch(4, 3, seed: 9));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<PpmFormatException>(() => Ppm.Read(bytes.AsSpan(0, length), "cut.ppm"));
        }
    }
}
