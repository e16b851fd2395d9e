using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Tests.Frames;

public sealed class FrameSimilarityTests
{
    [Fact]
    public void IdenticalFramesAreOneMillion()
    {
        var a = TestImages.Background();
        Assert.Equal(FrameSimilarity.Identical, FrameSimilarity.Psnr(a, a.Clone()));
    }

    [Fact]
    public void DifferentSizesAreZero() =>
        Assert.Equal(0, FrameSimilarity.Psnr(new Frame(10, 10), new Frame(10, 11)));

    [Fact]
    public void PsnrFollowsTheDefinition()
    {
        var a = new Frame(100, 100);
        var b = a.Clone();
        b.Pixels[0] = 10; // one channel of one pixel off by 10

        // 10 * log10(255^2 * 3 * pixels / sse)
        var expected = 10 * Math.Log10(255.0 * 255 * 3 * 10_000 / 100);
        Assert.Equal(expected, FrameSimilarity.Psnr(a, b), 9);
    }

    [Fact]
    public void SmallChangeStaysAboveTheNewScreenLevelAndALargeOneFallsBelow()
    {
        var screen = TestImages.Background();
        var noise = screen.Clone();
        TestImages.Fill(noise, 100, 100, 4, 2, 255, 255, 255);
        var newScreen = TestImages.Background(seed: 2);

        Assert.True(FrameSimilarity.Psnr(screen, noise) > FrameSimilarity.NewScreenLevel);
        Assert.True(FrameSimilarity.Psnr(screen, newScreen) < FrameSimilarity.NewVideoFrameLevel);
    }

    [Fact]
    public void SmallerScreensArePaddedWithGreyAtTheTopLeft()
    {
        var text = TestImages.Patch(720, 400, seed: 4);

        var fitted = FrameScaler.FitTo(text, 1024, 768);

        Assert.Equal((1024, 768), (fitted.Width, fitted.Height));
        Assert.True(fitted.GetRow(0)[..(720 * 3)].SequenceEqual(text.GetRow(0)));
        Assert.All(fitted.GetRow(0)[(720 * 3)..].ToArray(), b => Assert.Equal(FrameScaler.PaddingGrey, b));
        Assert.True(fitted.GetRow(399)[..(720 * 3)].SequenceEqual(text.GetRow(399)));
        Assert.All(fitted.GetRow(399)[(720 * 3)..].ToArray(), b => Assert.Equal(FrameScaler.PaddingGrey, b));
        Assert.All(fitted.GetRow(400).ToArray(), b => Assert.Equal(FrameScaler.PaddingGrey, b));
        Assert.All(fitted.GetRow(767).ToArray(), b => Assert.Equal(FrameScaler.PaddingGrey, b));
    }

    [Fact]
    public void LargerScreensAreResizedAndSameSizeIsKept()
    {
        var large = TestImages.Background(1280, 800);
        var fitted = FrameScaler.FitTo(large, 1024, 768);
        Assert.Equal((1024, 768), (fitted.Width, fitted.Height));

        var exact = TestImages.Background();
        Assert.Same(exact, FrameScaler.FitTo(exact, 1024, 768));
    }
}
