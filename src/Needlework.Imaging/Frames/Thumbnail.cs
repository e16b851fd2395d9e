using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>Result-screenshot thumbnails as openQA shows them: 45 pixels high, width in proportion.</summary>
public static class Thumbnail
{
    public const int Height = 45;

    public static Frame Create(Frame frame)
    {
        var width = Math.Max(1, frame.Width * Height / frame.Height);
        var thumb = new Frame(width, Height);
        using var source = frame.AsMat();
        using var target = thumb.AsMat();
        Cv2.Resize(source, target, new Size(width, Height), 0, 0, InterpolationFlags.Area);
        return thumb;
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
