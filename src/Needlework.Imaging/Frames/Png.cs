using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>PNG for result screenshots, needles and the on-demand live view; never per video frame.</summary>
public static class Png
{
    public static byte[] Encode(Frame frame)
    {
        NativeTuning.EnsureApplied();
        using var rgb = frame.AsMat();
        using var bgr = new Mat();
        Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
        Cv2.ImEncode(".png", bgr, out var png);
        return png;
    }

    public static void WriteFile(Frame frame, string path) => File.WriteAllBytes(path, Encode(frame));

    /// <summary>Decodes a PNG (or any format OpenCV reads) into an RGB frame; <paramref name="source"/> names it in errors.</summary>
    public static Frame Decode(byte[] data, string source)
    {
        NativeTuning.EnsureApplied();
        using var bgr = Cv2.ImDecode(data, ImreadModes.Color);
        if (bgr.Empty())
        {
            throw new InvalidDataException($"{source}: not a readable PNG image");
        }

        return FromBgr(bgr);
    }

    public static Frame ReadFile(string path) => Decode(File.ReadAllBytes(path), path);

    internal static Frame FromBgr(Mat bgr)
    {
        var frame = new Frame(bgr.Width, bgr.Height);
        using var target = frame.AsMat();
        Cv2.CvtColor(bgr, target, ColorConversionCodes.BGR2RGB);
        return frame;
    }
}
