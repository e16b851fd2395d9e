using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>
/// Frame-to-frame similarity as PSNR in dB, with os-autoinst's conventions so its levels carry over:
/// identical frames are <see cref="Identical"/>, frames of different sizes are 0.
/// </summary>
public static class FrameSimilarity
{
    public const double Identical = 1_000_000;

    /// <summary>os-autoinst's level below which a frame counts as a new screen for needle matching.</summary>
    public const double NewScreenLevel = 54;

    /// <summary>os-autoinst's level below which a frame is a new video frame rather than a repeat.</summary>
    public const double NewVideoFrameLevel = 50;

    public const double WaitScreenChangeLevel = 50;

    public const double WaitStillScreenLevel = 47;

    public static double Psnr(Frame a, Frame b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            return 0;
        }

        if (a.ReadOnlyPixels.SequenceEqual(b.ReadOnlyPixels))
        {
            return Identical;
        }

        NativeTuning.EnsureApplied();
        using var ma = a.AsMat();
        using var mb = b.AsMat();
        var sse = Cv2.Norm(ma, mb, NormTypes.L2SQR);
        var signal = 255.0 * 255.0 * 3 * a.Width * a.Height;
        return 10.0 * Math.Log10(signal / sse);
    }
}
