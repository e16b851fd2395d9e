using OpenCvSharp;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Needles;

/// <summary>
/// A screen prepared for template search as os-autoinst prepares it: greyscale, then a 3x3 Gaussian blur.
/// Both steps run only for the windows searched (a one-area check touches a few percent of the screen),
/// or for the whole screen once windows cover half of it. Blurring a window reads the converted pixels
/// around it, so the result equals a blur of the whole screen.
/// </summary>
/// <remarks>Not thread-safe while lazy; <see cref="PrepareAll"/> makes it immutable for parallel readers.</remarks>
internal sealed class GreyScene : IDisposable
{
    private static readonly byte ExcludedGrey = ComputeExcludedGrey();
    private readonly Frame _frame;
    private readonly Rect[] _excluded;
    private readonly Mat _grey;
    private readonly Mat _blurred;
    private readonly Coverage _greyDone;
    private readonly Coverage _blurDone;

    private GreyScene(Frame frame, Rect[] excluded, Mat grey, Coverage greyDone)
    {
        _frame = frame;
        _excluded = excluded;
        _grey = grey;
        _greyDone = greyDone;
        _blurred = new Mat(grey.Size(), MatType.CV_8UC1);
        _blurDone = new Coverage(Width, Height);
    }

    public int Width => _frame.Width;

    public int Height => _frame.Height;

    public static GreyScene FromFrame(Frame frame)
    {
        NativeTuning.EnsureApplied();
        var grey = new Mat(frame.Height, frame.Width, MatType.CV_8UC1);
        return new GreyScene(frame, [], grey, new Coverage(frame.Width, frame.Height));
    }

    /// <summary>Converts and blurs the whole screen now; afterwards the scene is only read, from any thread.</summary>
    public void PrepareAll() => Blurred(new Rect(0, 0, Width, Height));

    /// <summary>This scene with rectangles painted as excluded, for a needle that has exclude areas.</summary>
    public GreyScene WithExcluded(Rect[] excluded)
    {
        var grey = _grey.Clone();
        var done = _greyDone.Clone();
        foreach (var rect in excluded)
        {
            PaintExcluded(grey, rect);
        }

        return new GreyScene(_frame, excluded, grey, done);
    }

    /// <summary>The blurred screen; the pixels inside <paramref name="window"/> are valid.</summary>
    public Mat Blurred(Rect window)
    {
        if (_blurDone.Covers(window))
        {
            return _blurred;
        }

        var target = _blurDone.Claim(window);
        EnsureGrey(Inflate(target));
        using var source = _grey[target];
        using var destination = _blurred[target];
        Cv2.GaussianBlur(source, destination, new Size(3, 3), 0, 0);
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
            roi.SetTo(new Scalar(ExcludedGrey));
        }
    }

    private void EnsureGrey(Rect rect)
    {
        if (_greyDone.Covers(rect))
        {
            return;
        }

        var target = _greyDone.Claim(rect);
        using var rgb = _frame.AsMat();
        using var source = rgb[target];
        using var destination = _grey[target];
        Cv2.CvtColor(source, destination, ColorConversionCodes.RGB2GRAY);
        foreach (var excluded in _excluded)
        {
            var overlap = excluded & target;
            if (overlap.Width > 0 && overlap.Height > 0)
            {
                PaintExcluded(_grey, overlap);
            }
        }
    }

    /// <summary>The rectangle grown by the blur kernel's reach, within the screen.</summary>
    private Rect Inflate(Rect rect) =>
        new Rect(rect.X - 1, rect.Y - 1, rect.Width + 2, rect.Height + 2) & new Rect(0, 0, Width, Height);

    private static byte ComputeExcludedGrey()
    {
        using var green = new Mat(1, 1, MatType.CV_8UC3, new Scalar(0, 255, 0));
        using var grey = new Mat();
        Cv2.CvtColor(green, grey, ColorConversionCodes.RGB2GRAY);
        return grey.At<byte>(0, 0);
    }

    /// <summary>
    /// Which rectangles of the screen are done; past half the screen, the next claim is the whole screen.
    /// A plain array: a list or LINQ over OpenCV's <see cref="Rect"/> struct is generic code ReadyToRun cannot
    /// precompile, compiled again by every job.
    /// </summary>
    private sealed class Coverage(int width, int height)
    {
        private Rect[] _done = new Rect[4];
        private int _count;
        private bool _all;

        public bool Covers(Rect rect)
        {
            if (_all)
            {
                return true;
            }

            for (var i = 0; i < _count; i++)
            {
                if ((_done[i] & rect) == rect)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Records <paramref name="rect"/> as done and returns what the caller must process.</summary>
        public Rect Claim(Rect rect)
        {
            var union = rect;
            for (var i = 0; i < _count; i++)
            {
                union |= _done[i];
            }

            if ((long)union.Width * union.Height * 2 >= (long)width * height)
            {
                _all = true;
                return new Rect(0, 0, width, height);
            }

            if (_count == _done.Length)
            {
                Array.Resize(ref _done, _count * 2);
            }

            _done[_count++] = rect;
            return rect;
        }

        public Coverage Clone() => new(width, height) { _all = _all, _done = (Rect[])_done.Clone(), _count = _count };
    }
}
