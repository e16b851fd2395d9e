using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>Brings a captured screen to the job's resolution (XRES x YRES) as os-autoinst does.</summary>
public static class FrameScaler
{
    /// <summary>The grey that fills the rest of a screen smaller than the job's resolution.</summary>
    public const byte PaddingGrey = 120;

    /// <summary>
    /// A screen larger in either direction is resized to exactly <paramref name="width"/> x <paramref name="height"/>;
    /// a smaller one keeps its pixels at the top left and is padded with grey; one of the right size is returned as is.
    /// </summary>
    public static Frame FitTo(Frame frame, int width, int height)
    {
        if (frame.Width == width && frame.Height == height)
        {
            return frame;
        }

        var result = new Frame(width, height);
        if (frame.Width > width || frame.Height > height)
        {
            NativeTuning.EnsureApplied();
            using var source = frame.AsMat();
            using var target = result.AsMat();
            Cv2.Resize(source, target, new Size(width, height));
            return result;
        }

        result.Pixels.Fill(PaddingGrey);
        for (var y = 0; y < frame.Height; y++)
        {
            frame.GetRow(y).CopyTo(result.GetRow(y));
        }

        return result;
    }
}
