namespace Needlework.Vnc.Protocol;

/// <summary>
/// The one pixel format this client asks for: 32-bit true colour, depth 24, little-endian, red shift 0,
/// green 8, blue 16. In memory a pixel is then R, G, B, padding, and a ZRLE CPIXEL (its three least
/// significant bytes) is R, G, B: exactly RGB24, so decoders copy instead of shuffling channels.
/// </summary>
internal static class RfbPixelFormat
{
    public static ReadOnlySpan<byte> Rgbx32 =>
    [
        32, // bits per pixel
        24, // depth
        0, // big-endian flag
        1, // true colour flag
        0, 255, // red max
        0, 255, // green max
        0, 255, // blue max
        0, // red shift
        8, // green shift
        16, // blue shift
        0, 0, 0, // padding
    ];
}
