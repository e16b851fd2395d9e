using System.Text;

namespace Needlework.Vnc.Protocol;

/// <summary>
/// ProtocolVersion, security (None or VNC password), ClientInit and ServerInit, for RFB 3.3, 3.7 and 3.8.
/// Versions in between (3.4-3.6, as some servers announce) are treated as 3.3, as the RFB spec says.
/// </summary>
internal static class RfbHandshake
{
    private const int SecurityInvalid = 0;
    private const int SecurityNone = 1;
    private const int SecurityVncAuth = 2;

    public static async Task<ServerInit> RunAsync(Stream stream, RfbReader reader, VncClientOptions options, CancellationToken cancellationToken)
    {
        await reader.EnsureAsync(12, "the server's 12-byte ProtocolVersion greeting", cancellationToken).ConfigureAwait(false);
        var greeting = Encoding.ASCII.GetString(reader.ReadSpan(12));
        var minor = ParseMinorVersion(greeting);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"RFB 003.00{minor}\n"), cancellationToken).ConfigureAwait(false);

        var security = await NegotiateSecurityAsync(stream, reader, minor, options, cancellationToken).ConfigureAwait(false);
        if (security == SecurityVncAuth)
        {
            await reader.EnsureAsync(VncAuthentication.ChallengeLength, "the 16-byte VNC authentication challenge", cancellationToken).ConfigureAwait(false);
            var response = VncAuthentication.Respond(VncAuthentication.KeyFromPassword(options.Password!), reader.ReadSpan(VncAuthentication.ChallengeLength));
            await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }

        // 3.8 always sends a SecurityResult; older versions only after VNC authentication.
        if (minor >= 8 || security == SecurityVncAuth)
        {
            await reader.EnsureAsync(4, "the SecurityResult", cancellationToken).ConfigureAwait(false);
            var result = reader.ReadUInt32();
            if (result != 0)
            {
                var reason = minor >= 8 ? await ReadReasonAsync(reader, options, cancellationToken).ConfigureAwait(false) : "(RFB 3.3/3.7 give no reason)";
                var what = security == SecurityVncAuth ? "VNC password authentication failed (wrong password?)" : "the server refused the connection";
                throw new VncException($"expected SecurityResult OK, but {what}: {reason}");
            }
        }

        await stream.WriteAsync(new[] { options.Shared ? (byte)1 : (byte)0 }, cancellationToken).ConfigureAwait(false);

        await reader.EnsureAsync(24, "the ServerInit message", cancellationToken).ConfigureAwait(false);
        int width = reader.ReadUInt16();
        int height = reader.ReadUInt16();
        reader.Skip(16); // the server's own pixel format: we replace it with SetPixelFormat
        var nameLength = reader.ReadUInt32();
        var name = await ReadTextAsync(reader, nameLength, "the desktop name", options, cancellationToken).ConfigureAwait(false);
        if (width == 0 || height == 0)
        {
            throw new VncException($"expected a framebuffer size in ServerInit, got {width}x{height}");
        }

        return new ServerInit(minor, width, height, name);
    }

    internal static int ParseMinorVersion(string greeting)
    {
        if (greeting.Length != 12 || !greeting.StartsWith("RFB ", StringComparison.Ordinal) || greeting[7] != '.' || greeting[11] != '\n'
            || !int.TryParse(greeting.AsSpan(4, 3), out var major) || !int.TryParse(greeting.AsSpan(8, 3), out var minor))
        {
            throw new VncException($"expected an RFB ProtocolVersion greeting like \"RFB 003.008\\n\", got \"{Printable(greeting)}\": is this a VNC server?");
        }

        if (major != 3)
        {
            throw new VncException($"expected RFB protocol version 3.x, the server offers {major}.{minor}");
        }

        return minor >= 8 ? 8 : minor == 7 ? 7 : 3;
    }

    private static async Task<int> NegotiateSecurityAsync(Stream stream, RfbReader reader, int minor, VncClientOptions options, CancellationToken cancellationToken)
    {
        if (minor == 3)
        {
            // 3.3: the server decides alone and sends one 32-bit type.
            await reader.EnsureAsync(4, "the security type", cancellationToken).ConfigureAwait(false);
            var type = (int)reader.ReadUInt32();
            if (type == SecurityInvalid)
            {
                throw new VncException($"expected a security type, but the server refused the connection: {await ReadReasonAsync(reader, options, cancellationToken).ConfigureAwait(false)}");
            }

            return CheckUsable(type, options, [(byte)type]);
        }

        await reader.EnsureAsync(1, "the number of security types", cancellationToken).ConfigureAwait(false);
        var count = reader.ReadByte();
        if (count == 0)
        {
            throw new VncException($"expected a list of security types, but the server refused the connection: {await ReadReasonAsync(reader, options, cancellationToken).ConfigureAwait(false)}");
        }

        await reader.EnsureAsync(count, "the list of security types", cancellationToken).ConfigureAwait(false);
        var offered = reader.ReadSpan(count).ToArray();
        int chosen;
        if (options.Password is not null && offered.Contains((byte)SecurityVncAuth))
        {
            chosen = SecurityVncAuth;
        }
        else if (offered.Contains((byte)SecurityNone))
        {
            chosen = SecurityNone;
        }
        else
        {
            chosen = offered.Contains((byte)SecurityVncAuth) ? SecurityVncAuth : offered[0];
        }

        CheckUsable(chosen, options, offered);
        await stream.WriteAsync(new[] { (byte)chosen }, cancellationToken).ConfigureAwait(false);
        return chosen;
    }

    private static int CheckUsable(int type, VncClientOptions options, byte[] offered)
    {
        if (type == SecurityVncAuth && options.Password is null)
        {
            throw new VncException("expected security type None, but the server requires a VNC password and none is configured");
        }

        if (type != SecurityNone && type != SecurityVncAuth)
        {
            throw new VncException($"expected security type None (1) or VNC password (2), the server offers only {string.Join(", ", offered)}");
        }

        return type;
    }

    private static async Task<string> ReadReasonAsync(RfbReader reader, VncClientOptions options, CancellationToken cancellationToken)
    {
        await reader.EnsureAsync(4, "the length of the failure reason", cancellationToken).ConfigureAwait(false);
        var length = reader.ReadUInt32();
        return await ReadTextAsync(reader, length, "the failure reason", options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ReadTextAsync(RfbReader reader, uint length, string what, VncClientOptions options, CancellationToken cancellationToken)
    {
        if (length > (uint)options.MaxTextLength)
        {
            throw new VncException($"expected {what} of at most {options.MaxTextLength} bytes, the server announces {length}");
        }

        await reader.EnsureAsync((int)length, what, cancellationToken).ConfigureAwait(false);
        return Encoding.Latin1.GetString(reader.ReadSpan((int)length));
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\x{(int)c:x2}"));
}
