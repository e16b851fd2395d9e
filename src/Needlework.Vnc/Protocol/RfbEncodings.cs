namespace Needlework.Vnc.Protocol;

/// <summary>RFB encoding numbers used by this client (signed 32-bit on the wire; pseudo-encodings are negative).</summary>
internal static class RfbEncodings
{
    public const int Raw = 0;
    public const int CopyRect = 1;
    public const int Zrle = 16;
    public const int DesktopSize = -223;
    public const int LastRect = -224;

    public static int[] For(VncEncoding preferred) => preferred switch
    {
        VncEncoding.Raw => [Raw, CopyRect, DesktopSize, LastRect],
        _ => [Zrle, CopyRect, Raw, DesktopSize, LastRect],
    };
}
