namespace Needlework.Vnc;

/// <summary>The pixel encoding the client asks the server to prefer for framebuffer updates.</summary>
public enum VncEncoding
{
    /// <summary>Zlib-compressed run-length tiles: the least bandwidth, the usual choice.</summary>
    Zrle,

    /// <summary>Uncompressed pixels: costs bandwidth, no decompression; useful to cross-check ZRLE.</summary>
    Raw,
}
