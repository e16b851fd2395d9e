using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Tests.Frames;

public sealed class FrameTests
{
    [Fact]
    public void EqualFramesHaveNoDifference()
    {
        var frame = TestImages.Background(seed: 2);

        Assert.False(frame.TryGetDifference(frame.Clone(), out _));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1023, 767)]
    [InlineData(207, 158)]
    public void OneChangedChannelOfOnePixelIsFoundExactly(int x, int y)
    {
        var frame = TestImages.Background(seed: 2);
        foreach (var channel in new[] { 0, 1, 2 })
        {
            var changed = frame.Clone();
            changed.GetRow(y)[(x * 3) + channel] ^= 0x01;

            Assert.True(frame.TryGetDifference(changed, out var difference));
            Assert.Equal(new OpenCvSharp.Rect(x, y, 1, 1), difference);
        }
    }

    [Fact]
    public void DifferenceBoundsEveryChange()
    {
        var frame = TestImages.Flat();
        var changed = frame.Clone();
        TestImages.Fill(changed, 207, 158, 9, 2, 200, 200, 200); // a blinking cursor
        TestImages.Fill(changed, 40, 500, 3, 1, 0, 0, 0);

        Assert.True(frame.TryGetDifference(changed, out var difference));
        Assert.Equal(new OpenCvSharp.Rect(40, 158, 216 - 40, 501 - 158), difference);
        Assert.True(changed.TryGetDifference(frame, out var reverse));
        Assert.Equal(difference, reverse);
    }

    [Fact]
    public void FramesOfDifferentSizesDifferEverywhere()
    {
        Assert.True(TestImages.Flat(width: 640, height: 480).TryGetDifference(TestImages.Flat(), out var difference));
        Assert.Equal(new OpenCvSharp.Rect(0, 0, 1024, 768), difference);
    }
}
