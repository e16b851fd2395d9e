using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Needlework.Imaging.Frames;

/// <summary>
/// Our own PNG reader for what needles and screenshots are: not interlaced, 1 to 16 bits, grey, RGB or a palette,
/// with or without alpha. It gives what OpenCV's colour mode gives: RGB, alpha dropped (not blended), grey spread
/// to three channels, 16-bit samples cut to their high byte. It reads rows only as far as asked, so a needle whose
/// areas lie in the top of the screen inflates only that part. Interlaced images return null for OpenCV to read.
/// </summary>
internal static class PngDecoder
{
    private const int MaxSide = 1 << 16;
    private const long MaxPixels = 1L << 28;

    /// <summary>The eight bytes every PNG starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>
    /// Decodes the first <paramref name="rows"/> rows (all of them when larger than the image); rows below stay black.
    /// Null when the image is interlaced. Damage (a bad CRC, a truncated stream, an unknown filter) is an
    /// <see cref="InvalidDataException"/> naming <paramref name="source"/>.
    /// </summary>
    public static Frame? Decode(byte[] data, string source, int rows)
    {
        var header = ReadChunks(data, source, out var palette, out var compressed);
        if (header.Interlaced)
        {
            return null;
        }

        var frame = new Frame(header.Width, header.Height);
        var rowLength = (int)(((long)header.Width * header.Channels * header.BitDepth + 7) / 8);
        var filterStride = Math.Max(1, header.Channels * header.BitDepth / 8);
        var current = new byte[rowLength];
        var previous = new byte[rowLength];
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        Span<byte> filter = stackalloc byte[1];
        var wanted = Math.Min(rows, header.Height);
        for (var y = 0; y < wanted; y++)
        {
            try
            {
                zlib.ReadExactly(filter);
                zlib.ReadExactly(current);
            }
            catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException)
            {
                throw new InvalidDataException($"{source}: PNG image data ends early or is damaged at row {y}: {ex.Message}", ex);
            }

            if (!Unfilter(filter[0], current, previous, filterStride))
            {
                throw new InvalidDataException($"{source}: PNG row {y} has unknown filter type {filter[0]}");
            }

            ToRgb(header, palette ?? [], current, frame.GetRow(y));
            (current, previous) = (previous, current);
        }

        return frame;
    }

    private static Header ReadChunks(byte[] data, string source, out byte[]? palette, out MemoryStream compressed)
    {
        palette = null;
        compressed = new MemoryStream();
        Header? header = null;
        var at = Signature.Length;
        while (true)
        {
            if (at + 12 > data.Length)
            {
                throw new InvalidDataException($"{source}: PNG ends before its IEND chunk");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            if (length > (uint)(data.Length - at - 12))
            {
                throw new InvalidDataException($"{source}: PNG chunk at byte {at} claims {length} bytes, more than the file has");
            }

            var type = data.AsSpan(at + 4, 4);
            var body = data.AsSpan(at + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at + 8 + (int)length));
            if (Crc32.HashToUInt32(data.AsSpan(at + 4, 4 + (int)length)) != crc)
            {
                throw new InvalidDataException($"{source}: PNG chunk {System.Text.Encoding.ASCII.GetString(type)} at byte {at} fails its CRC");
            }

            if (type.SequenceEqual("IHDR"u8))
            {
                header = Header.Parse(body, source);
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                palette = body.ToArray();
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                compressed.Write(body);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            at += 12 + (int)length;
        }

        if (header is null)
        {
            throw new InvalidDataException($"{source}: PNG has no IHDR chunk");
        }

        if (header.ColourType == 3 && palette is null)
        {
            throw new InvalidDataException($"{source}: palette PNG has no PLTE chunk");
        }

        compressed.Position = 0;
        return header;
    }

    /// <summary>Undoes the row's filter in place, against the unfiltered row above (zeros for the first row); false for an unknown filter.</summary>
    private static bool Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int stride)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (var i = stride; i < row.Length; i++)
                {
                    row[i] += row[i - stride];
                }

                break;
            case 2:
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] += above[i];
                }

                break;
            case 3:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= stride ? row[i - stride] : 0;
                    row[i] += (byte)((left + above[i]) >> 1);
                }

                break;
            case 4:
                for (var i = 0; i < row.Length; i++)
                {
                    int left = i >= stride ? row[i - stride] : 0;
                    int up = above[i];
                    int upLeft = i >= stride ? above[i - stride] : 0;
                    row[i] += (byte)Paeth(left, up, upLeft);
                }

                break;
            default:
                return false;
        }

        return true;
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var toLeft = Math.Abs(estimate - left);
        var toUp = Math.Abs(estimate - up);
        var toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }

    /// <summary>One unfiltered row as RGB; the header's checks leave only valid combinations of colour type and depth.</summary>
    private static void ToRgb(Header header, byte[] palette, ReadOnlySpan<byte> row, Span<byte> rgb)
    {
        var width = header.Width;
        switch (header.ColourType)
        {
            case 2 when header.BitDepth == 8:
                row.CopyTo(rgb);
                break;
            case 2 or 4 or 6 when header.BitDepth is 8 or 16:
            {
                // RGB, grey with alpha, RGB with alpha: take each colour sample's high byte, drop alpha.
                var bytesPerSample = header.BitDepth / 8;
                var pixelBytes = header.Channels * bytesPerSample;
                for (var x = 0; x < width; x++)
                {
                    var pixel = row.Slice(x * pixelBytes, pixelBytes);
                    var target = rgb.Slice(x * 3, 3);
                    if (header.ColourType == 4)
                    {
                        target.Fill(pixel[0]);
                    }
                    else
                    {
                        target[0] = pixel[0];
                        target[1] = pixel[bytesPerSample];
                        target[2] = pixel[2 * bytesPerSample];
                    }
                }

                break;
            }

            case 0:
                for (var x = 0; x < width; x++)
                {
                    rgb.Slice(x * 3, 3).Fill(GreySample(row, x, header.BitDepth));
                }

                break;
            case 3:
                for (var x = 0; x < width; x++)
                {
                    // An index past the palette's end stays black, as libpng leaves it.
                    var index = PackedSample(row, x, header.BitDepth);
                    if ((index * 3) + 3 <= palette.Length)
                    {
                        palette.AsSpan(index * 3, 3).CopyTo(rgb.Slice(x * 3, 3));
                    }
                }

                break;
            default:
                // Grey with alpha at 8 or 16 bits, handled above: the header allows nothing else.
                break;
        }
    }

    /// <summary>A grey sample scaled to 8 bits as libpng scales low depths up (by repeating the bits) and 16 down (high byte).</summary>
    private static byte GreySample(ReadOnlySpan<byte> row, int x, int bitDepth) => bitDepth switch
    {
        16 => row[x * 2],
        8 => row[x],
        _ => (byte)(PackedSample(row, x, bitDepth) * 255 / ((1 << bitDepth) - 1)),
    };

    private static int PackedSample(ReadOnlySpan<byte> row, int x, int bitDepth)
    {
        if (bitDepth == 8)
        {
            return row[x];
        }

        var perByte = 8 / bitDepth;
        var shift = 8 - (bitDepth * ((x % perByte) + 1));
        return (row[x / perByte] >> shift) & ((1 << bitDepth) - 1);
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColourType, bool Interlaced)
    {
        public int Channels => ColourType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };

        public static Header Parse(ReadOnlySpan<byte> body, string source)
        {
            if (body.Length != 13)
            {
                throw new InvalidDataException($"{source}: PNG header is {body.Length} bytes, not 13");
            }

            var width = BinaryPrimitives.ReadInt32BigEndian(body);
            var height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
            int bitDepth = body[8];
            int colourType = body[9];
            var valid = colourType switch
            {
                0 => bitDepth is 1 or 2 or 4 or 8 or 16,
                3 => bitDepth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => bitDepth is 8 or 16,
                _ => false,
            };
            // Screens and needles are a few thousand pixels a side; the bounds keep a damaged header from asking for gigabytes.
            if (!valid || width is <= 0 or > MaxSide || height is <= 0 or > MaxSide || (long)width * height > MaxPixels || body[10] != 0 || body[11] != 0 || body[12] > 1)
            {
                throw new InvalidDataException($"{source}: PNG header is not valid ({width}x{height}, {bitDepth} bits, colour type {colourType})");
            }

            return new Header(width, height, bitDepth, colourType, body[12] == 1);
        }
    }
}
