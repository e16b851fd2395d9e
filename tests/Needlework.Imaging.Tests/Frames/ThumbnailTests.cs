using Needlework.Imaging.Frames;
using OpenCvSharp;

namespace Needlework.Imaging.Tests.Frames;

public sealed class ThumbnailTests
{
    [Theory]
    [InlineData(1024, 768, 60, 16)]
    [InlineData(800, 600, 60, 10)]
    [InlineData(1280, 800, 72, 16)]
    [InlineData(1023, 767, 59, 1)]
    [InlineData(90, 45, 90, 1)]
    public void TheFirstStepIsTheLargestWholeFactorOfBothSides(int width, int height, int thumbWidth, int factor)
    {
        Assert.Equal(factor, Thumbnail.WholeFactor(width, height, thumbWidth));
    }

    [Fact]
    public void AFlatScreenGivesAFlatThumbnailOfTheSameColour()
    {
        var thumb = Thumbnail.Create(TestImages.Flat(grey: 173));

        Assert.Equal((60, 45), (thumb.Width, thumb.Height));
        Assert.All(thumb.Pixels.ToArray(), value => Assert.Equal(173, value));
    }

    [Theory]
    [InlineData(1024, 768)]
    [InlineData(1023, 767)]
    public void TheThumbnailOfARealScreenIsWhatOneAreaResizeGives(int width, int height)
    {
        var screen = Png.ReadFile(Path.Combine(RepositoryPaths.Examples, "grub-rescue", "needles", "grub-menu.png"));
        var crop = new Frame(width, height);
        for (var y = 0; y < height; y++)
        {
            screen.GetRow(y)[..crop.Stride].CopyTo(crop.GetRow(y));
        }

        var thumb = Thumbnail.Create(crop);
        var direct = DirectAreaResize(crop, thumb.Width);

        // Two area averages in a row are not one, but on text they differ by a little at the glyphs' edges.
        var differences = thumb.Pixels.ToArray().Zip(direct.Pixels.ToArray(), (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(differences.Average() < 2, $"mean difference {differences.Average():F2}");
        Assert.True(differences.Max() < 48, $"largest difference {differences.Max()}");
    }

    private static Frame DirectAreaResize(Frame frame, int width)
    {
        var thumb = new Frame(width, Thumbnail.Height);
        using var sourceMat = frame.AsMat();
        using var targetMat = thumb.AsMat();
        Cv2.Resize(sourceMat, targetMat, new Size(width, Thumbnail.Height), 0, 0, InterpolationFlags.Area);
        return thumb;
    }
}
