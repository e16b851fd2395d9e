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
