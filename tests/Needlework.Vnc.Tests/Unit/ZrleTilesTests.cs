using System.IO.Compression;
using Needlework.Vnc.Decoding;

namespace Needlework.Vnc.Tests.Unit;

public sealed class ZrleTilesTests
{
    private static readonly byte[] Red = [255, 0, 0];
    private static readonly byte[] Green = [0, 255, 0];
    private static readonly byte[] Blue = [0, 0, 255];

    [Fact]
    public void Solid_FillsTheTile()
    {
        var canvas = new PixelCanvas(4, 3);
        byte[] data = [1, .. Blue];

        Assert.Equal(data.Length, ZrleTiles.Decode(data, canvas, 1, 1, 3, 2));

        Assert.Equal(Black(4), Row(canvas, 0));
        Assert.Equal([.. Black(1), .. Blue, .. Blue, .. Blue], Row(canvas, 1));
        Assert.Equal([.. Black(1), .. Blue, .. Blue, .. Blue], Row(canvas, 2));
    }

    [Fact]
    public void Raw_CopiesCpixels()
    {
        var canvas = new PixelCanvas(2, 2);
        byte[] data = [0, .. Red, .. Green, .. Blue, 1, 2, 3];

        ZrleTiles.Decode(data, canvas, 0, 0, 2, 2);

        Assert.Equal([.. Red, .. Green], Row(canvas, 0));
        Assert.Equal([.. Blue, 1, 2, 3], Row(canvas, 1));
    }

    [Fact]
    public void PackedPalette_TwoColours_OneBitPerPixel_RowsPaddedToBytes()
    {
        var canvas = new PixelCanvas(3, 2);
        // Rows 1,0,1 and 0,1,1: MSB first, each row padded to a whole byte.
        byte[] data = [2, .. Red, .. Green, 0b1010_0000, 0b0110_0000];

        ZrleTiles.Decode(data, canvas, 0, 0, 3, 2);

        Assert.Equal([.. Green, .. Red, .. Green], Row(canvas, 0));
        Assert.Equal([.. Red, .. Green, .. Green], Row(canvas, 1));
    }

    [Fact]
    public void PackedPalette_ThreeColours_TwoBitsPerPixel()
    {
        var canvas = new PixelCanvas(5, 1);
        byte[] data = [3, .. Red, .. Green, .. Blue, 0b00_01_10_01, 0b00_000000];

        ZrleTiles.Decode(data, canvas, 0, 0, 5, 1);

        Assert.Equal([.. Red, .. Green, .. Blue, .. Green, .. Red], Row(canvas, 0));
    }

    [Fact]
    public void PackedPalette_FiveColours_FourBitsPerPixel()
    {
        var canvas = new PixelCanvas(3, 1);
        byte[] data = [5, .. Red, .. Green, .. Blue, 1, 1, 1, 2, 2, 2, 0x43, 0x00];

        ZrleTiles.Decode(data, canvas, 0, 0, 3, 1);

        Assert.Equal([2, 2, 2, 1, 1, 1, .. Red], Row(canvas, 0));
    }

    [Fact]
    public void PlainRle_RunsWrapAcrossRows_AndLongRunsAdd255s()
    {
        var canvas = new PixelCanvas(64, 10);
        // Red for 2 pixels (length byte 1), then green for the other 638: 255 + 255 + 127, plus one.
        byte[] data = [128, .. Red, 1, .. Green, 255, 255, 127];

        Assert.Equal(data.Length, ZrleTiles.Decode(data, canvas, 0, 0, 64, 10));

        Assert.Equal(Red, Pixel(canvas, 0, 0));
        Assert.Equal(Red, Pixel(canvas, 1, 0));
        Assert.Equal(Green, Pixel(canvas, 2, 0));
        Assert.Equal(Green, Pixel(canvas, 63, 0));
        Assert.Equal(Green, Pixel(canvas, 63, 9));
    }

    [Fact]
    public void PaletteRle_MixesSinglePixelsAndRuns()
    {
        var canvas = new PixelCanvas(4, 2);
        // 2 colours: index 1 once, then index 0 as a run of 6, then index 1 once.
        byte[] data = [130, .. Red, .. Blue, 1, 0x80, 5, 1];

        ZrleTiles.Decode(data, canvas, 0, 0, 4, 2);

        Assert.Equal([.. Blue, .. Red, .. Red, .. Red], Row(canvas, 0));
        Assert.Equal([.. Red, .. Red, .. Red, .. Blue], Row(canvas, 1));
    }

    [Fact]
    public void LargeRectangle_IsCutInto64PixelTiles()
    {
        var canvas = new PixelCanvas(100, 70);
        // Four tiles: 64x64, 36x64, 64x6, 36x6, each solid in its own colour.
        byte[] data = [1, .. Red, 1, .. Green, 1, .. Blue, 1, 7, 7, 7];

        Assert.Equal(data.Length, ZrleTiles.Decode(data, canvas, 0, 0, 100, 70));

        Assert.Equal(Red, Pixel(canvas, 63, 63));
        Assert.Equal(Green, Pixel(canvas, 64, 0));
        Assert.Equal(Blue, Pixel(canvas, 0, 64));
        Assert.Equal([7, 7, 7], Pixel(canvas, 99, 69));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 255, 0 })]
    [InlineData(new byte[] { 0, 1, 2, 3 })]
    [InlineData(new byte[] { 2, 1, 2, 3, 4, 5, 6 })]
    [InlineData(new byte[] { 128, 1, 2, 3 })]
    [InlineData(new byte[] { 128, 1, 2, 3, 255 })]
    [InlineData(new byte[] { 130, 1, 2, 3, 4, 5, 6, 0x80 })]
    public void Truncated_TileData_IsAClearError(byte[] data)
    {
        var error = Assert.Throws<VncException>(() => ZrleTiles.Decode(data, new PixelCanvas(4, 4), 0, 0, 4, 4));
        Assert.Contains("expected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 17 })]
    [InlineData(new byte[] { 129 })]
    [InlineData(new byte[] { 128, 1, 2, 3, 16 })]
    [InlineData(new byte[] { 130, 1, 2, 3, 4, 5, 6, 2 })]
    public void Invalid_TileData_IsAClearError(byte[] data) =>
        Assert.Throws<VncException>(() => ZrleTiles.Decode(data, new PixelCanvas(4, 4), 0, 0, 4, 4));

    [Fact]
    public void Decoder_SharesOneZlibStreamAcrossRectangles()
    {
        using var compressed = new MemoryStream();
        using var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true);
        using var decoder = new ZrleDecoder();
        var canvas = new PixelCanvas(2, 1);

        decoder.Append(Compress(zlib, compressed, [1, .. Red]));
        decoder.DecodeRectangle(canvas, 0, 0, 1, 1);
        decoder.Append(Compress(zlib, compressed, [1, .. Green]));
        decoder.DecodeRectangle(canvas, 1, 0, 1, 1);

        Assert.Equal([.. Red, .. Green], Row(canvas, 0));
    }

    [Fact]
    public void Decoder_RejectsLeftoverBytes()
    {
        using var compressed = new MemoryStream();
        using var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true);
        using var decoder = new ZrleDecoder();

        decoder.Append(Compress(zlib, compressed, [1, .. Red, 9, 9]));

        var error = Assert.Throws<VncException>(() => decoder.DecodeRectangle(new PixelCanvas(1, 1), 0, 0, 1, 1));
        Assert.Contains("used 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoder_RejectsDataThatIsNotZlib()
    {
        using var decoder = new ZrleDecoder();
        decoder.Append([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

        var error = Assert.Throws<VncException>(() => decoder.DecodeRectangle(new PixelCanvas(1, 1), 0, 0, 1, 1));
        Assert.Contains("zlib", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Compresses with a sync flush, as servers do at the end of each rectangle, and returns the new bytes.</summary>
    internal static byte[] Compress(ZLibStream zlib, MemoryStream output, byte[] data)
    {
        var start = output.Length;
        zlib.Write(data);
        zlib.Flush();
        return output.ToArray()[(int)start..];
    }

    private static byte[] Row(PixelCanvas canvas, int y) => canvas.RowSpan(0, y, canvas.Width).ToArray();

    private static byte[] Pixel(PixelCanvas canvas, int x, int y) => canvas.RowSpan(x, y, 1).ToArray();

    private static byte[] Black(int pixels) => new byte[pixels * 3];
}
