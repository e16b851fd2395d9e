namespace Needlework.Runner;

/// <summary>
/// Lower-case hex of random bytes from the kernel's secure source, taken through <see cref="Guid.NewGuid"/>:
/// on Linux that reads the same source as RandomNumberGenerator, without loading OpenSSL for it (4 ms of CPU
/// at every job start).
/// </summary>
internal static class SecureRandomText
{
    // Of a version 4 GUID's 16 bytes, byte 7 holds the version and byte 8 the variant; the other 14 are random.
    private const int RandomBytesPerGuid = 14;

    public static string Hex(int randomBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(randomBytes, 1);
        var bytes = new byte[randomBytes];
        Span<byte> guid = stackalloc byte[16];
        for (var filled = 0; filled < randomBytes; filled += RandomBytesPerGuid)
        {
            Guid.NewGuid().TryWriteBytes(guid);
            Span<byte> random = [.. guid[..7], .. guid[9..]];
            random[..Math.Min(RandomBytesPerGuid, randomBytes - filled)].CopyTo(bytes.AsSpan(filled));
        }

        return Convert.ToHexStringLower(bytes);
    }
}
