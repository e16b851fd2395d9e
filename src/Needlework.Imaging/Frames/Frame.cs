using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>
/// One screen image as RGB24: rows top to bottom, three bytes a pixel in red, green, blue order
/// (PPM's own order), no padding between rows. The buffer lives on the pinned object heap, so
/// native code (OpenCV) and writers (a VNC decoder, a PPM reader) use it in place, without copies.
/// </summary>
public sealed class Frame
{
    private readonly byte[] _pixels;

    /// <summary>Creates a black frame.</summary>
    public Frame(int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height * 3 > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"frame size {width}x{height} is not a valid screen size");
        }

        Width = width;
        Height = height;
        _pixels = GC.AllocateArray<byte>(width * height * 3, pinned: true);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes from one row to the next.</summary>
    public int Stride => Width * 3;

    /// <summary>The whole pixel buffer, writable: producers fill it, then hand the frame on and stop writing.</summary>
    public Span<byte> Pixels => _pixels;

    public ReadOnlySpan<byte> ReadOnlyPixels => _pixels;

    /// <summary>The pixel buffer as memory, for asynchronous writers (a pipe to the video encoder).</summary>
    public ReadOnlyMemory<byte> PixelMemory => _pixels;

    public Span<byte> GetRow(int y) => _pixels.AsSpan(y * Stride, Stride);

    public Frame Clone()
    {
        var copy = new Frame(Width, Height);
        _pixels.AsSpan().CopyTo(copy._pixels);
        return copy;
    }

    /// <summary>True when both frames have the same size and every byte is equal (a vectorised memcmp).</summary>
    public bool ContentEquals(Frame other) =>
        other.Width == Width && other.Height == Height && _pixels.AsSpan().SequenceEqual(other._pixels);

    /// <summary>
    /// The smallest rectangle holding every pixel in which <paramref name="other"/> differs from this frame; false
    /// when the frames are equal. Frames of different sizes differ everywhere (the larger size is returned).
    /// Rows are compared as memory, so an unchanged row costs a memcmp; the same frame again (a capture of an
    /// unchanged screen hands out the frame it made before) costs nothing.
    /// </summary>
    public bool TryGetDifference(Frame other, out Rect difference)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            difference = default;
            return false;
        }

        if (other.Width != Width || other.Height != Height)
        {
            difference = new Rect(0, 0, Math.Max(Width, other.Width), Math.Max(Height, other.Height));
            return true;
        }

        int top = -1, bottom = -1, left = Stride, right = -1;
        for (var y = 0; y < Height; y++)
        {
            var row = GetRow(y);
            var otherRow = other.GetRow(y);
            var first = row.CommonPrefixLength(otherRow);
            if (first == Stride)
            {
                continue;
            }

            var last = Stride - 1;
            while (row[last] == otherRow[last])
            {
                last--;
            }

            top = top < 0 ? y : top;
            bottom = y;
            left = Math.Min(left, first);
            right = Math.Max(right, last);
        }

        if (top < 0)
        {
            difference = default;
            return false;
        }

        // Byte offsets to pixel columns.
        difference = new Rect(left / 3, top, (right / 3) - (left / 3) + 1, bottom - top + 1);
        return true;
    }

    /// <summary>
    /// An OpenCV header over this frame's buffer (no copy), channel order RGB. Valid while the frame lives;
    /// the caller disposes the header, never the pixels.
    /// </summary>
    internal Mat AsMat()
    {
        NativeTuning.EnsureApplied();
        return Mat.FromPixelData(Height, Width, MatType.CV_8UC3, Marshal.UnsafeAddrOfPinnedArrayElement(_pixels, 0), Stride);
    }
}
