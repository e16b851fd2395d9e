using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Needlework.Imaging.Frames;

/// <summary>PNG for result screenshots, needles and the on-demand live view; never per video frame.</summary>
/// <remarks>
/// Encoding is our own: 8-bit RGB straight from the frame's buffer, every row filtered "Up" (its difference from
/// the row above, which turns the flat areas and repeated lines of a screen into zeros), deflated at zlib level 2
/// by .NET's zlib-ng. On screens (GRUB, the Debian installer, desktop pages) that is faster than OpenCV's encoder
/// and the files are smaller, and it needs no colour conversion: OpenCV wants BGR, which cost a conversion on
/// the way in and libpng another on the way out. Decoding is ours too (<see cref="PngDecoder"/>): zlib-ng's
/// inflate, RGB rows straight into the frame, and for a needle only the rows its areas need. Interlaced PNGs
/// and other formats go to OpenCV.
/// </remarks>
public static class Png
{
    private const int CompressionLevel = 2;
    private const byte FilterNone = 0;
    private const byte FilterUp = 2;

    public static byte[] Encode(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using var idat = Deflate(frame);
        var compressed = idat.GetBuffer().AsSpan(0, (int)idat.Length);

        // Signature, IHDR (13 bytes of data), one IDAT, IEND; each chunk adds length, type and CRC (12 bytes).
        var signature = PngDecoder.Signature;
        var png = new byte[signature.Length + (12 + 13) + (12 + compressed.Length) + 12];
        signature.CopyTo(png);
        var at = signature.Length;
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, frame.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], frame.Height);
        header[8] = 8; // bits per sample
        header[9] = 2; // colour type: RGB
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive, per row
        header[12] = 0; // no interlacing
        at = WriteChunk(png, at, "IHDR"u8, header);
        at = WriteChunk(png, at, "IDAT"u8, compressed);
        WriteChunk(png, at, "IEND"u8, []);
        return png;
    }

    public static void WriteFile(Frame frame, string path) => File.WriteAllBytes(path, Encode(frame));

    /// <summary>Decodes a PNG (or any format OpenCV reads) into an RGB frame; <paramref name="source"/> names it in errors.</summary>
    public static Frame Decode(byte[] data, string source) => Decode(data, source, int.MaxValue);

    public static Frame ReadFile(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Like <see cref="Decode(byte[], string)"/>, but a PNG is read only down to <paramref name="rows"/>; rows below stay black.</summary>
    internal static Frame Decode(byte[] data, string source, int rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (PngDecoder.HasSignature(data) && PngDecoder.Decode(data, source, rows) is { } frame)
        {
            return frame;
        }

        NativeTuning.EnsureApplied();
        using var bgr = Cv2.ImDecode(data, ImreadModes.Color);
        if (bgr.Empty())
        {
            throw new InvalidDataException($"{source}: not a readable PNG image");
        }

        return FromBgr(bgr);
    }

    internal static Frame FromBgr(Mat bgr)
    {
        var frame = new Frame(bgr.Width, bgr.Height);
        using var target = frame.AsMat();
        Cv2.CvtColor(bgr, target, ColorConversionCodes.BGR2RGB);
        return frame;
    }

    /// <summary>The zlib stream of the filtered rows: the first row as it is, each later one as its difference from the row above.</summary>
    private static MemoryStream Deflate(Frame frame)
    {
        var pixels = frame.ReadOnlyPixels;
        var stride = frame.Stride;
        var idat = new MemoryStream(Math.Max(4096, pixels.Length / 16));
        var row = new byte[stride + 1];
        using (var zlib = new ZLibStream(idat, new ZLibCompressionOptions { CompressionLevel = CompressionLevel }, leaveOpen: true))
        {
            for (var y = 0; y < frame.Height; y++)
            {
                var current = pixels.Slice(y * stride, stride);
                if (y == 0)
                {
                    row[0] = FilterNone;
                    current.CopyTo(row.AsSpan(1));
                }
                else
                {
                    row[0] = FilterUp;
                    Subtract(current, pixels.Slice((y - 1) * stride, stride), row.AsSpan(1));
                }

                zlib.Write(row);
            }
        }

        return idat;
    }

    /// <summary>
    /// Byte-wise <c>a - b</c> modulo 256 into <paramref name="difference"/>. Vector128, not Vector&lt;T&gt;: its
    /// width is fixed, so ReadyToRun precompiles this, where a Vector&lt;T&gt; method is JIT-compiled in every runner.
    /// </summary>
    private static void Subtract(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> difference)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                (Vector128.Create(a[i..]) - Vector128.Create(b[i..])).CopyTo(difference[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            difference[i] = (byte)(a[i] - b[i]);
        }
    }

    private static int WriteChunk(byte[] png, int at, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var target = png.AsSpan(at);
        BinaryPrimitives.WriteInt32BigEndian(target, data.Length);
        type.CopyTo(target[4..]);
        data.CopyTo(target[8..]);
        // The CRC covers the type and the data.
        BinaryPrimitives.WriteUInt32BigEndian(target[(8 + data.Length)..], Crc32.HashToUInt32(target.Slice(4, 4 + data.Length)));
        return at + 12 + data.Length;
    }
}
