using OpenCvSharp;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Needles;

/// <summary>
/// A screen prepared for template search as os-autoinst prepares it: greyscale, then a 3x3 Gaussian
/// blur. The blur is done lazily for the windows searched, or for the whole screen once windows cover
/// half of it; blurring a window reads the pixels around it, so the result equals a full blur.
/// </summary>
internal sealed class GreyScene : IDisposable
{
    private static readonly Lazy<byte> ExcludedGrey = new(ComputeExcludedGrey);
    private readonly Mat _grey;
    private readonly Mat _blurred;
    private readonly List<Rect> _done = [];
    private bool _all;

    private GreyScene(Mat grey)
    {
        _grey = grey;
        _blurred = new Mat(grey.Size(), MatType.CV_8UC1);
    }

    public int Width => _grey.Width;

    public int Height => _grey.Height;

    public static GreyScene FromFrame(Frame frame) => new(ToGrey(frame));

    /// <summary>A copy of this scene with rectangles painted as excluded, for a needle that has exclude areas.</summary>
    public GreyScene WithExcluded(IEnumerable<Rect> excluded)
    {
        var grey = _grey.Clone();
        foreach (var rect in excluded)
        {
            PaintExcluded(grey, rect);
        }

        return new GreyScene(grey);
    }

    /// <summary>The blurred screen; pixels inside <paramref name="window"/> are valid.</summary>
    public Mat Blurred(Rect window)
    {
        if (_all || _done.Any(d => (d & window) == window))
        {
            return _blurred;
        }

        var union = _done.Aggregate(window, (u, d) => u | d);
        if ((long)union.Width * union.Height * 2 >= (long)Width * Height)
        {
            Cv2.GaussianBlur(_grey, _blurred, new Size(3, 3), 0, 0);
            _all = true;
            return _blurred;
        }

        using var source = _grey[window];
        using var target = _blurred[window];
        Cv2.GaussianBlur(source, target, new Size(3, 3), 0, 0);
        _done.Add(window);
        return _blurred;
    }

    public void Dispose()
    {
        _grey.Dispose();
        _blurred.Dispose();
    }

    internal static Mat ToGrey(Frame frame)
    {
        NativeTuning.EnsureApplied();
        using var rgb = frame.AsMat();
        var grey = new Mat();
        Cv2.CvtColor(rgb, grey, ColorConversionCodes.RGB2GRAY);
        return grey;
    }

    /// <summary>Paints what os-autoinst paints into an exclude area, pure green (0,255,0), as its greyscale value.</summary>
    internal static void PaintExcluded(Mat grey, Rect area)
    {
        var clipped = area & new Rect(0, 0, grey.Width, grey.Height);
        if (clipped.Width > 0 && clipped.Height > 0)
        {
            using var roi = grey[clipped];
            roi.SetTo(new Scalar(ExcludedGrey.Value));
        }
    }

    private static byte ComputeExcludedGrey()
    {
        using var green = new Mat(1, 1, MatType.CV_8UC3, new Scalar(0, 255, 0));
        using var grey = new Mat();
        Cv2.CvtColor(green, grey, ColorConversionCodes.RGB2GRAY);
        return grey.At<byte>(0, 0);
    }
}
