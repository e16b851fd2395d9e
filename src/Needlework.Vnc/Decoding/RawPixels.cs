namespace Needlework.Vnc.Decoding;

/// <summary>
/// Raw encoding rows in the pixel format this client asks for (32 bits, little-endian, red in the lowest
/// byte), so each pixel is R, G, B, padding: dropping every fourth byte gives RGB24.
/// </summary>
internal static class RawPixels
{
    public static void ConvertRow(ReadOnlySpan<byte> rgbx, Span<byte> rgb)
    {
        var pixels = rgbx.Length / 4;
        for (int i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3)
        {
            rgb[d] = rgbx[s];
            rgb[d + 1] = rgbx[s + 1];
            rgb[d + 2] = rgbx[s + 2];
        }
    }
}
