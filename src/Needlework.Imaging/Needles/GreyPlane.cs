using System.Runtime.Intrinsics;
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
        // Vertical 1 2 1 sums of the columns rect.X - 1 to rect.Right (mirrored beyond the plane's sides), then
        // the horizontal 1 2 1 of those: both fit 16 bits, so eight pixels a vector step.
        var sums = rect.Width <= 4096 ? stackalloc ushort[rect.Width + 2] : new ushort[rect.Width + 2];
        var first = Math.Max(rect.X - 1, 0);
        var last = Math.Min(rect.Right, Width - 1);
        var offset = first - (rect.X - 1);
        for (var y = rect.Y; y < rect.Bottom; y++)
        {
            var above = Row(Mirror(y - 1, Height)).Slice(first, last - first + 1);
            var here = Row(y).Slice(first, last - first + 1);
            var below = Row(Mirror(y + 1, Height)).Slice(first, last - first + 1);
            VerticalSums(above, here, below, sums.Slice(offset, here.Length));
            if (offset == 1)
            {
                sums[0] = sums[Width == 1 ? 1 : 2];
            }

            if (rect.Right == Width)
            {
                sums[^1] = sums[Width == 1 ? ^2 : ^3];
            }

            HorizontalBlur(sums, target.Row(y).Slice(rect.X, rect.Width));
        }
    }

    private static void VerticalSums(ReadOnlySpan<byte> above, ReadOnlySpan<byte> here, ReadOnlySpan<byte> below, Span<ushort> sums)
    {
        var i = 0;
        for (; i + 16 <= here.Length; i += 16)
        {
            var (aLow, aHigh) = Vector128.Widen(Vector128.Create(above.Slice(i, 16)));
            var (hLow, hHigh) = Vector128.Widen(Vector128.Create(here.Slice(i, 16)));
            var (bLow, bHigh) = Vector128.Widen(Vector128.Create(below.Slice(i, 16)));
            (aLow + (hLow << 1) + bLow).CopyTo(sums.Slice(i, 8));
            (aHigh + (hHigh << 1) + bHigh).CopyTo(sums.Slice(i + 8, 8));
        }

        for (; i < here.Length; i++)
        {
            sums[i] = (ushort)(above[i] + (2 * here[i]) + below[i]);
        }
    }

    /// <summary>output[i] = (sums[i] + 2 sums[i + 1] + sums[i + 2] + 8) / 16.</summary>
    private static void HorizontalBlur(ReadOnlySpan<ushort> sums, Span<byte> output)
    {
        var eight = Vector128.Create((ushort)8);
        var i = 0;
        for (; i + 16 <= output.Length; i += 16)
        {
            var low = (Vector128.Create(sums.Slice(i, 8)) + (Vector128.Create(sums.Slice(i + 1, 8)) << 1) + Vector128.Create(sums.Slice(i + 2, 8)) + eight) >> 4;
            var high = (Vector128.Create(sums.Slice(i + 8, 8)) + (Vector128.Create(sums.Slice(i + 9, 8)) << 1) + Vector128.Create(sums.Slice(i + 10, 8)) + eight) >> 4;
            Vector128.Narrow(low, high).CopyTo(output.Slice(i, 16));
        }

        for (; i < output.Length; i++)
        {
            output[i] = (byte)((sums[i] + (2 * sums[i + 1]) + sums[i + 2] + 8) >> 4);
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
