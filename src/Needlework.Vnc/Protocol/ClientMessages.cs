using System.Buffers.Binary;

namespace Needlework.Vnc.Protocol;

/// <summary>Writes client-to-server RFB messages into a caller's buffer and returns their length.</summary>
internal static class ClientMessages
{
    public const int KeyEventLength = 8;
    public const int PointerEventLength = 6;
    public const int UpdateRequestLength = 10;

    public static int SetPixelFormat(Span<byte> buffer)
    {
        buffer[..4].Clear();
        RfbPixelFormat.Rgbx32.CopyTo(buffer[4..]);
        return 4 + 16;
    }

    public static int SetEncodings(Span<byte> buffer, ReadOnlySpan<int> encodings)
    {
        buffer[0] = 2;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)encodings.Length);
        for (var i = 0; i < encodings.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer[(4 + (i * 4))..], encodings[i]);
        }

        return 4 + (encodings.Length * 4);
    }

    public static int UpdateRequest(Span<byte> buffer, bool incremental, int x, int y, int width, int height)
    {
        buffer[0] = 3;
        buffer[1] = incremental ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[6..], (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[8..], (ushort)height);
        return UpdateRequestLength;
    }

    public static int KeyEvent(Span<byte> buffer, uint keysym, bool down)
    {
        buffer[0] = 4;
        buffer[1] = down ? (byte)1 : (byte)0;
        buffer[2] = 0;
        buffer[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], keysym);
        return KeyEventLength;
    }

    public static int PointerEvent(Span<byte> buffer, byte buttonMask, int x, int y)
    {
        buffer[0] = 5;
        buffer[1] = buttonMask;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], (ushort)y);
        return PointerEventLength;
    }
}
