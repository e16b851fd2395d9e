using OpenCvSharp;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Needles;

/// <summary>
/// One 8-bit grey value a pixel, row after row: a screen or a needle prepared for search. Converting and
/// blurring are done here, bit for bit as OpenCV does them (tests compare both), so a job whose needles
/// are found where they were recorded never loads OpenCV.
/// </summary>
internal sealed class GreyPlane
{
    // OpenCV's fixed-point RGB to grey: 0.299 R + 0.587 G + 0.114 B in units of 2^-15, rounded.
    private const int RedWeight = 9798;
    private const int GreenWeight = 19235;
    private const int BlueWeight = 3735;
    private const int WeightShift = 15;

    public GreyPlane(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width, Width);

    public ReadOnlySpan<byte> Row(int y, int x, int count) => Pixels.AsSpan((y * Width) + x, count);

    public static byte GreyOf(byte red, byte green, byte blue) =>
        (byte)(((red * RedWeight) + (green * GreenWeight) + (blue * BlueWeight) + (1 << (WeightShift - 1))) >> WeightShift);

    /// <summary>The whole frame in grey.</summary>
    public static GreyPlane FromFrame(Frame frame)
    {
        var grey = new GreyPlane(frame.Width, frame.Height);
        grey.Convert(frame, new Rect(0, 0, frame.Width, frame.Height));
        return grey;
    }

    /// <summary>Converts the pixels of <paramref name="rect"/> of <paramref name="frame"/> (the same size as this plane) to grey.</summary>
    public void Convert(Frame frame, Rect rect)
    {
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            var rgb = frame.GetRow(y).Slice(rect.X * 3, rect.Width * 3);
            var grey = Row(y).Slice(rect.X, rect.Width);
            for (var x = 0; x < grey.Length; x++)
            {
                grey[x] = GreyOf(rgb[3 * x], rgb[(3 * x) + 1], rgb[(3 * x) + 2]);
            }
        }
    }

    /// <summary>Sets the pixels of <paramref name="rect"/>, clipped to the plane, to <paramref name="value"/>.</summary>
    public void Fill(Rect rect, byte value)
    {
        var clipped = rect & new Rect(0, 0, Width, Height);
        for (var y = clipped.Y; y < clipped.Bottom; y++)
        {
            Row(y).Slice(clipped.X, clipped.Width).Fill(value);
        }
    }

    /// <summary>
    /// Blurs the pixels of <paramref name="rect"/> into <paramref name="target"/> (the same size) with OpenCV's 3x3
    /// Gaussian (sigma 0: weights 1 2 1 by 1 2 1, over 16, rounded half up), reading this plane's pixels around the
    /// rectangle and mirroring at its edges as OpenCV's default border does (the pixel beyond the edge is the one
    /// next to it).
    /// </summary>
    public void BlurInto(GreyPlane target, Rect rect)
    {
        var (width, height) = (Width, Height);
        var sums = rect.Width <= 2048 ? stackalloc int[rect.Width + 2] : new int[rect.Width + 2];
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            var above = Row(Mirror(y - 1, height));
            var here = Row(y);
            var below = Row(Mirror(y + 1, height));

            // Vertical 1 2 1 sums of the columns from rect.X - 1 to rect.Right, mirrored at the plane's sides.
            for (var i = 0; i < sums.Length; i++)
            {
                var x = Mirror(rect.X - 1 + i, width);
                sums[i] = above[x] + (2 * here[x]) + below[x];
            }

            var output = target.Row(y).Slice(rect.X, rect.Width);
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = (byte)((sums[i] + (2 * sums[i + 1]) + sums[i + 2] + 8) >> 4);
            }
        }
    }

    /// <summary>A copy of <paramref name="rect"/> as a plane of its own.</summary>
    public GreyPlane Crop(Rect rect)
    {
        var crop = new GreyPlane(rect.Width, rect.Height);
        for (var y = 0; y < rect.Height; y++)
        {
            Row(rect.Y + y, rect.X, rect.Width).CopyTo(crop.Row(y));
        }

        return crop;
    }

    /// <summary>OpenCV's BORDER_REFLECT_101: -1 is 1, length is length - 2; a one-pixel side is its own neighbour.</summary>
    private static int Mirror(int i, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        return i < 0 ? -i : i >= length ? (2 * length) - i - 2 : i;
    }
}
