using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>Result-screenshot thumbnails as openQA shows them: 45 pixels high, width in proportion.</summary>
public static class Thumbnail
{
    public const int Height = 45;

    /// <summary>
    /// Area-averaged down to <see cref="Height"/>. OpenCV's area resize is fast only for a whole-number factor
    /// (1024x768 to 60x45 is 17.07 and took 2 ms), so a screen is first averaged by the largest whole factor that
    /// divides both its sides and leaves at least the thumbnail (1024x768: 16, to 64x48), then the small picture
    /// to the thumbnail's size.
    /// </summary>
    public static Frame Create(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var width = Math.Max(1, frame.Width * Height / frame.Height);
        var thumb = new Frame(width, Height);
        NativeTuning.EnsureApplied();
        using var source = frame.AsMat();
        using var target = thumb.AsMat();
        var factor = WholeFactor(frame.Width, frame.Height, width);
        if (factor < 2)
        {
            Cv2.Resize(source, target, new Size(width, Height), 0, 0, InterpolationFlags.Area);
            return thumb;
        }

        using var halfway = new Mat();
        Cv2.Resize(source, halfway, new Size(frame.Width / factor, frame.Height / factor), 0, 0, InterpolationFlags.Area);
        Cv2.Resize(halfway, target, new Size(width, Height), 0, 0, InterpolationFlags.Area);
        return thumb;
    }

    /// <summary>The largest whole number that divides both sides and leaves them at least the thumbnail's; 1 when none.</summary>
    internal static int WholeFactor(int sourceWidth, int sourceHeight, int thumbWidth)
    {
        for (var factor = Math.Min(sourceHeight / Height, sourceWidth / thumbWidth); factor >= 2; factor--)
        {
            if (sourceWidth % factor == 0 && sourceHeight % factor == 0)
            {
                return factor;
            }
        }

        return 1;
    }

    /// <summary>Writes <paramref name="screenshot"/> as PNG at <paramref name="path"/> and its thumbnail in <c>.thumbs/</c> beside it.</summary>
    public static void WriteWithThumbnail(Frame screenshot, string path)
    {
        Png.WriteFile(screenshot, path);
        var thumbs = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ".thumbs");
        Directory.CreateDirectory(thumbs);
        Png.WriteFile(Create(screenshot), Path.Combine(thumbs, Path.GetFileName(path)));
    }
}
