using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Needlework.Imaging.Frames;
using OpenCvSharp;

namespace Needlework.Imaging.Tests.Frames;

/// <summary>
/// Our PNG decoder against libpng (through OpenCV's colour mode) on PNGs built here sample by sample: every colour
/// type and bit depth PNG allows, every row filter, odd widths. libpng is the reference, so these fail on any
/// difference in unfiltering, unpacking, palette lookup, alpha or 16-bit handling.
/// </summary>
public sealed class PngDecoderTests
{
    public static TheoryData<int, int> Formats => new()
    {
        { 0, 1 }, { 0, 2 }, { 0, 4 }, { 0, 8 }, { 0, 16 },
        { 2, 8 }, { 2, 16 },
        { 3, 1 }, { 3, 2 }, { 3, 4 }, { 3, 8 },
        { 4, 8 }, { 4, 16 },
        { 6, 8 }, { 6, 16 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void DecodesLikeLibpng(int colourType, int bitDepth)
    {
        foreach (var width in new[] { 1, 7, 33 })
        {
            var png = BuildPng(width, height: 10, colourType, bitDepth, seed: (colourType * 100) + bitDepth + width);

            var ours = Png.Decode(png, "built.png");

            Assert.True(ours.ContentEquals(DecodeWithLibpng(png)), $"colour type {colourType}, {bitDepth} bits, width {width}");
        }
    }

    [Fact]
    public void ReadsOnlyTheRowsAsked()
    {
        var png = BuildPng(20, 12, colourType: 2, bitDepth: 8, seed: 5);
        var whole = Png.Decode(png, "built.png");

        var top = Png.Decode(png, "built.png", rows: 4);

        Assert.True(top.GetRow(3).SequenceEqual(whole.GetRow(3)));
        Assert.True(top.GetRow(4).IndexOfAnyExcept((byte)0) < 0, "rows below the asked ones stay black");
        Assert.False(whole.GetRow(4).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void ADamagedChunkIsAClearError()
    {
        var png = Png.Encode(TestImages.Patch(40, 30, seed: 1));
        png[^20] ^= 0xFF; // inside the IDAT data: its CRC no longer matches

        var error = Assert.Throws<InvalidDataException>(() => Png.Decode(png, "needle.png"));

        Assert.Contains("needle.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("CRC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedFileIsAClearError()
    {
        var png = Png.Encode(TestImages.Patch(40, 30, seed: 1));

        var error = Assert.Throws<InvalidDataException>(() => Png.Decode(png[..(png.Length / 2)], "needle.png"));

        Assert.Contains("needle.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageDataThatEndsEarlyIsAClearError()
    {
        // A valid chunk structure whose compressed rows stop after the first of ten.
        var png = BuildPng(8, 10, colourType: 2, bitDepth: 8, seed: 2, rowsWritten: 1);

        var error = Assert.Throws<InvalidDataException>(() => Png.Decode(png, "short.png"));

        Assert.Contains("short.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImpossibleSizeIsRefusedBeforeAnythingIsAllocated()
    {
        var png = BuildPng(100_000, 1, colourType: 2, bitDepth: 8, seed: 3);

        var error = Assert.Throws<InvalidDataException>(() => Png.Decode(png, "huge.png"));

        Assert.Contains("huge.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("100000x1", error.Message, StringComparison.Ordinal);
    }

    private static Frame DecodeWithLibpng(byte[] png)
    {
        using var bgr = Cv2.ImDecode(png, ImreadModes.Color);
        return Png.FromBgr(bgr);
    }

    /// <summary>
    /// A PNG of random samples; row y uses filter y % 5, so every filter meets every position. A palette image
    /// gets a full palette of random colours (some indexes point past it when the depth allows more entries).
    /// </summary>
    private static byte[] BuildPng(int width, int height, int colourType, int bitDepth, int seed, int? rowsWritten = null)
    {
        var random = new Random(seed);
        var channels = colourType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        var rowLength = ((width * channels * bitDepth) + 7) / 8;
        var filterStride = Math.Max(1, channels * bitDepth / 8);
        var raw = new byte[height][];
        for (var y = 0; y < height; y++)
        {
            raw[y] = new byte[rowLength];
            random.NextBytes(raw[y]);
        }

        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var zeros = new byte[rowLength];
            for (var y = 0; y < (rowsWritten ?? height); y++)
            {
                var filter = (byte)(y % 5);
                zlib.WriteByte(filter);
                zlib.Write(Filter(filter, raw[y], y > 0 ? raw[y - 1] : zeros, filterStride));
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        WriteChunk(png, "IHDR"u8, header);
        if (colourType == 3)
        {
            var entries = Math.Min(1 << bitDepth, 200);
            var palette = new byte[entries * 3];
            random.NextBytes(palette);
            WriteChunk(png, "PLTE"u8, palette);
        }

        WriteChunk(png, "IDAT"u8, idat.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static byte[] Filter(byte filter, byte[] row, byte[] above, int stride)
    {
        var filtered = new byte[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= stride ? row[i - stride] : 0;
            int upLeft = i >= stride ? above[i - stride] : 0;
            int up = above[i];
            var predictor = filter switch
            {
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => PaethPredictor(left, up, upLeft),
                _ => 0,
            };
            filtered[i] = (byte)(row[i] - predictor);
        }

        return filtered;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        type.CopyTo(typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
        png.Write(crc);
    }
}
