using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;
using OpenCvSharp;

namespace Needlework.Imaging.Tests.Needles;

/// <summary>
/// The grey conversion and the blur that every search starts from, bit for bit against OpenCV's, which
/// os-autoinst uses: its needles' similarities carry over only if these are the same.
/// </summary>
public sealed class GreyPlaneTests
{
    [Fact]
    public void EveryColourTurnsTheSameGreyAsInOpenCv()
    {
        // All 2^24 colours, one a pixel.
        var frame = new Frame(4096, 4096);
        var pixels = frame.Pixels;
        for (var i = 0; i < 1 << 24; i++)
        {
            pixels[3 * i] = (byte)(i >> 16);
            pixels[(3 * i) + 1] = (byte)(i >> 8);
            pixels[(3 * i) + 2] = (byte)i;
        }

        var ours = GreyPlane.FromFrame(frame);

        using var rgb = frame.AsMat();
        using var theirs = new Mat();
        Cv2.CvtColor(rgb, theirs, ColorConversionCodes.RGB2GRAY);
        AssertSame(theirs, ours, new Rect(0, 0, 4096, 4096));
        Assert.Equal(GreyPlane.GreyOf(0, 255, 0), GreyScene.ExcludedGrey);
    }

    [Theory]
    [InlineData(1024, 768)]
    [InlineData(37, 5)]
    [InlineData(2, 2)]
    [InlineData(1, 9)]
    public void BlurIsOpenCvsGaussianWithItsBorder(int width, int height)
    {
        var grey = Noise(width, height, seed: width + height);
        var ours = new GreyPlane(width, height);
        grey.BlurInto(ours, new Rect(0, 0, width, height));

        AssertSame(OpenCvBlur(grey), ours, new Rect(0, 0, width, height));
    }

    [Fact]
    public void AWindowIsBlurredAsPartOfTheWholeScreen()
    {
        var grey = GreyPlane.FromFrame(Png.ReadFile(Path.Combine(RepositoryPaths.Examples, "grub-rescue", "screens", "05-grub-help.png")));
        using var whole = OpenCvBlur(grey);
        foreach (var window in new[] { new Rect(0, 0, 100, 50), new Rect(300, 200, 120, 90), new Rect(900, 700, 124, 68), new Rect(0, 335, 420, 35) })
        {
            var ours = new GreyPlane(grey.Width, grey.Height);
            grey.BlurInto(ours, window);
            AssertSame(whole, ours, window);
        }
    }

    [Theory]
    [InlineData(1024, 768)]
    [InlineData(33, 7)]
    public void SquaredDifferencesOfFramesAreExactAndOpenCvsNorm(int width, int height)
    {
        var a = new Frame(width, height);
        var b = new Frame(width, height);
        new Random(width).NextBytes(a.Pixels);
        new Random(height).NextBytes(b.Pixels);
        using var ma = a.AsMat();
        using var mb = b.AsMat();

        long exact = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
        {
            exact += (a.Pixels[i] - b.Pixels[i]) * (a.Pixels[i] - b.Pixels[i]);
        }

        // OpenCV's (IPP's) sum of a whole screen can be off by one in 10^10 from rounding; ours is exact.
        Assert.Equal(exact, FrameSimilarity.SumOfSquaredDifferences(a.ReadOnlyPixels, b.ReadOnlyPixels));
        Assert.Equal(Cv2.Norm(ma, mb, NormTypes.L2SQR), exact, 1e-9 * exact);
        Assert.Equal(10 * Math.Log10(255.0 * 255 * 3 * width * height / Cv2.Norm(ma, mb, NormTypes.L2SQR)), FrameSimilarity.Psnr(a, b), 9);
    }

    private static GreyPlane Noise(int width, int height, int seed)
    {
        var plane = new GreyPlane(width, height);
        new Random(seed).NextBytes(plane.Pixels);
        return plane;
    }

    private static Mat OpenCvBlur(GreyPlane grey)
    {
        using var source = Mat.FromPixelData(grey.Height, grey.Width, MatType.CV_8UC1, grey.Pixels);
        var blurred = new Mat();
        Cv2.GaussianBlur(source, blurred, new Size(3, 3), 0, 0);
        return blurred;
    }

    private static void AssertSame(Mat expected, GreyPlane actual, Rect rect)
    {
        var differing = 0;
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            for (var x = rect.X; x < rect.Right; x++)
            {
                differing += expected.At<byte>(y, x) == actual.Pixels[(y * actual.Width) + x] ? 0 : 1;
            }
        }

        Assert.True(differing == 0, $"{differing} pixels of {rect} differ from OpenCV's");
    }
}
