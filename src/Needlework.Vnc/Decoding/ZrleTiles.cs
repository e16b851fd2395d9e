namespace Needlework.Vnc.Decoding;

/// <summary>
/// Decodes the uncompressed ZRLE payload of one rectangle: 64x64 tiles, left to right, top to bottom, each
/// raw, solid, packed palette, plain RLE or palette RLE. Pixels are 3-byte CPIXELs already in R, G, B order
/// (see <see cref="Protocol.RfbPixelFormat"/>), so they are written to the canvas as they are.
/// </summary>
internal static class ZrleTiles
{
    private const int TileSize = 64;

    /// <summary>Decodes every tile of the rectangle and returns how many bytes of <paramref name="data"/> it used.</summary>
    public static int Decode(ReadOnlySpan<byte> data, PixelCanvas canvas, int x, int y, int width, int height)
    {
        var offset = 0;
        Span<byte> palette = stackalloc byte[128 * 3];
        for (var tileY = y; tileY < y + height; tileY += TileSize)
        {
            var tileHeight = Math.Min(TileSize, y + height - tileY);
            for (var tileX = x; tileX < x + width; tileX += TileSize)
            {
                var tileWidth = Math.Min(TileSize, x + width - tileX);
                offset = DecodeTile(data, offset, canvas, tileX, tileY, tileWidth, tileHeight, palette);
            }
        }

        return offset;
    }

    private static int DecodeTile(ReadOnlySpan<byte> data, int offset, PixelCanvas canvas, int x, int y, int width, int height, Span<byte> palette)
    {
        var subencoding = Need(data, offset, 1, x, y)[0];
        offset++;
        var pixels = width * height;
        switch (subencoding)
        {
            case 0:
                {
                    var raw = Need(data, offset, pixels * 3, x, y);
                    for (var row = 0; row < height; row++)
                    {
                        raw.Slice(row * width * 3, width * 3).CopyTo(canvas.RowSpan(x, y + row, width));
                    }

                    return offset + (pixels * 3);
                }

            case 1:
                {
                    var colour = Need(data, offset, 3, x, y);
                    FillRun(canvas, x, y, width, 0, pixels, colour);
                    return offset + 3;
                }

            case >= 2 and <= 16:
                {
                    var paletteSize = subencoding;
                    Need(data, offset, paletteSize * 3, x, y).CopyTo(palette);
                    offset += paletteSize * 3;
                    var bits = paletteSize == 2 ? 1 : paletteSize <= 4 ? 2 : 4;
                    var rowBytes = ((width * bits) + 7) / 8;
                    var packed = Need(data, offset, rowBytes * height, x, y);
                    var mask = (1 << bits) - 1;
                    for (var row = 0; row < height; row++)
                    {
                        var source = packed.Slice(row * rowBytes, rowBytes);
                        var target = canvas.RowSpan(x, y + row, width);
                        for (var column = 0; column < width; column++)
                        {
                            var bitOffset = column * bits;
                            var index = (source[bitOffset >> 3] >> (8 - bits - (bitOffset & 7))) & mask;
                            if (index >= paletteSize)
                            {
                                throw Violation($"expected a palette index below {paletteSize}, got {index}", x, y);
                            }

                            palette.Slice(index * 3, 3).CopyTo(target.Slice(column * 3, 3));
                        }
                    }

                    return offset + (rowBytes * height);
                }

            case 128:
                {
                    var done = 0;
                    while (done < pixels)
                    {
                        var colour = Need(data, offset, 3, x, y);
                        offset = ReadRunLength(data, offset + 3, pixels - done, x, y, out var run);
                        FillRun(canvas, x, y, width, done, run, colour);
                        done += run;
                    }

                    return offset;
                }

            case >= 130:
                {
                    var paletteSize = subencoding - 128;
                    Need(data, offset, paletteSize * 3, x, y).CopyTo(palette);
                    offset += paletteSize * 3;
                    var done = 0;
                    while (done < pixels)
                    {
                        var code = Need(data, offset, 1, x, y)[0];
                        offset++;
                        var index = code & 0x7F;
                        if (index >= paletteSize)
                        {
                            throw Violation($"expected a palette index below {paletteSize} in an RLE tile, got {index}", x, y);
                        }

                        var run = 1;
                        if ((code & 0x80) != 0)
                        {
                            offset = ReadRunLength(data, offset, pixels - done, x, y, out run);
                        }

                        FillRun(canvas, x, y, width, done, run, palette.Slice(index * 3, 3));
                        done += run;
                    }

                    return offset;
                }

            default:
                throw Violation($"expected a tile subencoding, got the unused value {subencoding}", x, y);
        }
    }

    /// <summary>Run length: bytes of 255 add up until one below 255 ends it; the length is their sum plus one.</summary>
    private static int ReadRunLength(ReadOnlySpan<byte> data, int offset, int remaining, int x, int y, out int run)
    {
        run = 1;
        byte value;
        do
        {
            value = Need(data, offset, 1, x, y)[0];
            offset++;
            run += value;
            if (run > remaining)
            {
                throw Violation($"expected a run of at most {remaining} pixels, got {run}", x, y);
            }
        }
        while (value == 255);
        return offset;
    }

    /// <summary>Paints <paramref name="count"/> pixels of one colour starting at pixel <paramref name="start"/> of the tile, wrapping rows.</summary>
    private static void FillRun(PixelCanvas canvas, int x, int y, int width, int start, int count, ReadOnlySpan<byte> colour)
    {
        var row = start / width;
        var column = start % width;
        while (count > 0)
        {
            var piece = Math.Min(count, width - column);
            var target = canvas.RowSpan(x + column, y + row, piece);
            colour.CopyTo(target);
            // Doubling copies fill the span in log2(piece) memcpy calls instead of one store per pixel.
            for (var filled = 3; filled < target.Length; filled *= 2)
            {
                target[..Math.Min(filled, target.Length - filled)].CopyTo(target[filled..]);
            }

            count -= piece;
            column = 0;
            row++;
        }
    }

    private static ReadOnlySpan<byte> Need(ReadOnlySpan<byte> data, int offset, int count, int x, int y)
    {
        if (data.Length - offset < count)
        {
            throw Violation($"expected {count} more bytes, but the rectangle's data ends after {data.Length - offset}", x, y);
        }

        return data.Slice(offset, count);
    }

    private static VncException Violation(string what, int x, int y) =>
        new($"ZRLE tile at ({x},{y}): {what}");
}
