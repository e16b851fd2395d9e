using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Needlework.Vnc.Protocol;

/// <summary>
/// VNC password authentication: the 16-byte challenge is DES-encrypted (ECB) with the password as key.
/// The password's first 8 bytes, zero padded, are used with the bits of each byte reversed: the original
/// VNC code loaded the key bits in the opposite order to standard DES, and every server kept that.
/// </summary>
internal static class VncAuthentication
{
    public const int ChallengeLength = 16;

    public static byte[] KeyFromPassword(string password)
    {
        var key = new byte[8];
        var bytes = Encoding.Latin1.GetBytes(password);
        for (var i = 0; i < Math.Min(8, bytes.Length); i++)
        {
            key[i] = ReverseBits(bytes[i]);
        }

        return key;
    }

    public static byte ReverseBits(byte value)
    {
        var result = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            result = (result << 1) | ((value >> bit) & 1);
        }

        return (byte)result;
    }

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "RFB's VNC authentication is defined as DES; the server decides, not us.")]
    public static byte[] Respond(ReadOnlySpan<byte> key, ReadOnlySpan<byte> challenge)
    {
        using var des = DES.Create();
        try
        {
            des.Key = key.ToArray();
        }
        catch (CryptographicException ex)
        {
            // .NET refuses DES weak keys (e.g. an empty password); VNC would use them, we cannot.
            throw new VncException($"expected a usable VNC password, but it maps to a DES weak key: {ex.Message}", ex);
        }

        return des.EncryptEcb(challenge, PaddingMode.None);
    }
}
