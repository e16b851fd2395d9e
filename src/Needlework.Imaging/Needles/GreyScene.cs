using System.Collections.Concurrent;
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
    /// <summary>What os-autoinst paints into an exclude area, pure green (0,255,0), as its grey value.</summary>
    public static readonly byte ExcludedGrey = GreyPlane.GreyOf(0, 255, 0);

    /// <summary>
    /// Screen-sized planes of finished scenes, for the next: a search needs two or three, each too big for the
    /// garbage collector's young generation. 300 checks of the GRUB menu needle on the help screen: no collection of
    /// generation 2 and 86 ms with these, 41 collections and 273 ms with planes allocated anew.
    /// </summary>
    private static readonly ConcurrentBag<GreyPlane> Spare = [];
    private const int MostSpare = 8;

    private readonly Frame _frame;
    private readonly Rect[] _excluded;
    private readonly GreyPlane _grey;
    private readonly GreyPlane _blurred;
    private readonly Coverage _greyDone;
    private readonly Coverage _blurDone;

    private GreyScene(Frame frame, Rect[] excluded, GreyPlane grey, Coverage greyDone)
    {
        _frame = frame;
        _excluded = excluded;
        _grey = grey;
        _greyDone = greyDone;
        _blurred = Rent(grey.Width, grey.Height);
        _blurDone = new Coverage(Width, Height);
    }

    public int Width => _frame.Width;

    public int Height => _frame.Height;

    public static GreyScene FromFrame(Frame frame) =>
        new(frame, [], Rent(frame.Width, frame.Height), new Coverage(frame.Width, frame.Height));

    /// <summary>Converts and blurs the whole screen now; afterwards the scene is only read, from any thread.</summary>
    public void PrepareAll() => Blurred(new Rect(0, 0, Width, Height));

    /// <summary>This scene with rectangles painted as excluded, for a needle that has exclude areas.</summary>
    public GreyScene WithExcluded(Rect[] excluded)
    {
        var grey = Rent(Width, Height);
        _grey.Pixels.CopyTo(grey.Pixels, 0);
        var done = _greyDone.Clone();
        foreach (var rect in excluded)
        {
            grey.Fill(rect, ExcludedGrey);
        }

        return new GreyScene(_frame, excluded, grey, done);
    }

    /// <summary>The blurred screen; the pixels inside <paramref name="window"/> are valid.</summary>
    public GreyPlane Blurred(Rect window)
    {
        if (_blurDone.Covers(window))
        {
            return _blurred;
        }

        var target = _blurDone.Claim(window);
        EnsureGrey(Inflate(target));
        _grey.BlurInto(_blurred, target);
        return _blurred;
    }

    public void Dispose()
    {
        GiveBack(_grey);
        GiveBack(_blurred);
    }

    /// <summary>
    /// An image's first <paramref name="rows"/> rows in grey, with rectangles painted as excluded, then blurred:
    /// a needle's reference. The last of those rows is blurred with what lies below it unread; it is there only
    /// to be read by the rows above.
    /// </summary>
    internal static GreyPlane Prepare(Frame image, Rect[] excluded, int rows)
    {
        var part = new Rect(0, 0, image.Width, rows);
        var grey = new GreyPlane(image.Width, image.Height);
        grey.Convert(image, part);
        foreach (var rect in excluded)
        {
            grey.Fill(rect, ExcludedGrey);
        }

        var blurred = new GreyPlane(grey.Width, grey.Height);
        grey.BlurInto(blurred, part);
        return blurred;
    }

    /// <summary>A spare plane of this size, its pixels left as they were: a scene reads only what it has written.</summary>
    private static GreyPlane Rent(int width, int height)
    {
        for (var tries = 0; tries < MostSpare && Spare.TryTake(out var plane); tries++)
        {
            if (plane.Width == width && plane.Height == height)
            {
                return plane;
            }
        }

        return new GreyPlane(width, height);
    }

    private static void GiveBack(GreyPlane plane)
    {
        if (Spare.Count < MostSpare)
        {
            Spare.Add(plane);
        }
    }

    private void EnsureGrey(Rect rect)
    {
        if (_greyDone.Covers(rect))
        {
            return;
        }

        var target = _greyDone.Claim(rect);
        _grey.Convert(_frame, target);
        foreach (var excluded in _excluded)
        {
            var overlap = excluded & target;
            if (overlap.Width > 0 && overlap.Height > 0)
            {
                _grey.Fill(overlap, ExcludedGrey);
            }
        }
    }

    /// <summary>The rectangle grown by the blur kernel's reach, within the screen.</summary>
    private Rect Inflate(Rect rect) =>
        new Rect(rect.X - 1, rect.Y - 1, rect.Width + 2, rect.Height + 2) & new Rect(0, 0, Width, Height);

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
