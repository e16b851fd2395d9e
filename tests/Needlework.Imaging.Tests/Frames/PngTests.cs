using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Tests.Frames;

public sealed class PngTests
{
    [Fact]
    public void RoundTripIsLossless()
    {
        var frame = TestImages.Patch(320, 200, seed: 3);

        var decoded = Png.Decode(Png.Encode(frame), "memory");

        Assert.True(decoded.ContentEquals(frame));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 5)]
    [InlineData(1024, 768)]
    public void NoiseOfAnyWidthRoundTripsThroughOpenCv(int width, int height)
    {
        // Random bytes: every filtered difference and the vector loop's tail get exercised; libpng, not our own
        // decoder, reads them back and checks the CRCs.
        var frame = new Frame(width, height);
        new Random(width * 31 + height).NextBytes(frame.Pixels);

        using var bgr = OpenCvSharp.Cv2.ImDecode(Png.Encode(frame), OpenCvSharp.ImreadModes.Color);
        var decoded = Png.FromBgr(bgr);

        Assert.True(decoded.ContentEquals(frame));
    }

    [Fact]
    public void IsAnRgbPngOfTheFramesSize()
    {
        var png = Png.Encode(new Frame(640, 480));

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal((640, 480), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        Assert.Equal((8, 2), (png[24], png[25]));
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
    }

    [Fact]
    public void AFlatScreenCompressesToAFewKilobytes()
    {
        // 2.4 MB of one grey: rows filtered against the row above are all zeros, and deflate makes little of them.
        var frame = new Frame(1024, 768);
        frame.Pixels.Fill(0x40);

        Assert.InRange(Png.Encode(frame).Length, 1, 8 * 1024);
    }

    [Fact]
    public void KeepsChannelOrder()
    {
        var frame = new Frame(2, 1);
        frame.Pixels[0] = 255; // red pixel, then a blue one
        frame.Pixels[5] = 255;
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "rgb.png");
        Png.WriteFile(frame, path);

        var read = Png.ReadFile(path);

        Assert.Equal(new byte[] { 255, 0, 0, 0, 0, 255 }, read.ReadOnlyPixels.ToArray());
    }

    [Fact]
    public void GarbageIsAClearError()
    {
        var error = Assert.Throws<InvalidDataException>(() => Png.Decode([1, 2, 3, 4], "junk.png"));
        Assert.Contains("junk.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThumbnailIs45PixelsHighInProportion()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "boot-1.png");

        Thumbnail.WriteWithThumbnail(TestImages.Background(1024, 768), path);

        var thumb = Png.ReadFile(Path.Combine(dir.Path, ".thumbs", "boot-1.png"));
        Assert.Equal((60, 45), (thumb.Width, thumb.Height));
        Assert.True(File.Exists(path));
        Assert.Equal((72, 45), (Thumbnail.Create(new Frame(1280, 800)).Width, Thumbnail.Height));
    }
}
