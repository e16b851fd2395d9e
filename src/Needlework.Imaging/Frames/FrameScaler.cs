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

        if (frame.Width > width || frame.Height > height)
        {
            var result = new Frame(width, height);
            NativeTuning.EnsureApplied();
            using var source = frame.AsMat();
            using var target = result.AsMat();
            Cv2.Resize(source, target, new Size(width, height));
            return result;
        }

        return Pad(frame.ReadOnlyPixels, frame.Width, frame.Height, width, height);
    }

    /// <summary>
    /// A new <paramref name="width"/> x <paramref name="height"/> frame with the smaller screen's RGB24
    /// <paramref name="pixels"/> at the top left and grey elsewhere.
    /// </summary>
    internal static Frame Pad(ReadOnlySpan<byte> pixels, int screenWidth, int screenHeight, int width, int height)
    {
        var result = new Frame(width, height);
        // Only the margins are painted, with memset: a GRUB screen of 640x480 leaves most of a 1024x768 frame to fill, every frame.
        var rowBytes = screenWidth * 3;
        for (var y = 0; y < screenHeight; y++)
        {
            var row = result.GetRow(y);
            pixels.Slice(y * rowBytes, rowBytes).CopyTo(row);
            Paint(row[rowBytes..]);
        }

        Paint(result.Pixels[(screenHeight * width * 3)..]);
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
