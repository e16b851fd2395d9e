using System.IO.Compression;

namespace Needlework.Vnc.Decoding;

/// <summary>
/// ZRLE for one connection: RFB keeps a single zlib stream across all ZRLE rectangles of a connection,
/// so the inflater lives as long as the connection and is fed rectangle by rectangle.
/// </summary>
internal sealed class ZrleDecoder : IDisposable
{
    private readonly ZlibFeed _feed = new();
    private readonly ZLibStream _inflater;
    private byte[] _inflated = new byte[256 * 1024];

    public ZrleDecoder()
    {
        _inflater = new ZLibStream(_feed, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>Appends a piece of the current rectangle's compressed data.</summary>
    public void Append(ReadOnlySpan<byte> compressed) => _feed.Append(compressed);

    /// <summary>Inflates all data appended for this rectangle and paints its tiles.</summary>
    public void DecodeRectangle(PixelCanvas canvas, int x, int y, int width, int height)
    {
        var length = InflateAll();
        var used = ZrleTiles.Decode(_inflated.AsSpan(0, length), canvas, x, y, width, height);
        if (used != length)
        {
            throw new VncException(
                $"ZRLE rectangle {width}x{height} at ({x},{y}): expected its tiles to use all {length} inflated bytes, but they used {used}");
        }
    }

    /// <summary>
    /// The server ends each rectangle with a zlib sync flush, so everything it holds comes out of the
    /// inflater before the feed runs dry.
    /// </summary>
    private int InflateAll()
    {
        var length = 0;
        try
        {
            while (true)
            {
                if (length == _inflated.Length)
                {
                    Array.Resize(ref _inflated, _inflated.Length * 2);
                }

                var read = _inflater.Read(_inflated.AsSpan(length));
                if (read == 0)
                {
                    return length;
                }

                length += read;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new VncException($"expected a valid zlib stream in ZRLE data, but inflating failed: {ex.Message}", ex);
        }
    }

    public void Dispose() => _inflater.Dispose();
}
