using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

        // Only the margins are painted, with memset: a GRUB screen of 640x480 leaves most of a 1024x768 frame to fill, every frame.
        var pixels = result.Pixels;
        var rowBytes = frame.Width * 3;
        for (var y = 0; y < frame.Height; y++)
        {
            var row = result.GetRow(y);
            frame.GetRow(y).CopyTo(row);
            Paint(row[rowBytes..]);
        }

        Paint(pixels[(frame.Height * width * 3)..]);
        return result;
    }

    private static void Paint(Span<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            Unsafe.InitBlockUnaligned(ref MemoryMarshal.GetReference(bytes), PaddingGrey, (uint)bytes.Length);
        }
    }
}
