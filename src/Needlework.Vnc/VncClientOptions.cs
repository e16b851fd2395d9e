namespace Needlework.Vnc;

/// <summary>Where a <see cref="VncClient"/> connects and how long it waits before it gives up.</summary>
public sealed record VncClientOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5900;

    /// <summary>VNC password (only its first 8 characters count, as RFB says); null for security type None.</summary>
    public string? Password { get; init; }

    /// <summary>Time for the TCP connect and the whole RFB handshake of one attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the next bytes once a message has started, and for a write to be accepted.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A still screen legitimately sends nothing, so after this much silence the client asks for a one-pixel
    /// full update; a server that does not answer that within <see cref="ReadTimeout"/> is declared dead.
    /// </summary>
    public TimeSpan IdleProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <see cref="VncClient.ReconnectAsync"/> keeps retrying a refused connection.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between reconnect attempts.</summary>
    public TimeSpan ReconnectRetryInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pause between two typed keys (slow guests drop keys typed too fast); zero sends them back to back.</summary>
    public TimeSpan KeyInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Shortest time between two incremental update requests; zero asks again as soon as an update is applied.</summary>
    public TimeSpan MinUpdateInterval { get; init; } = TimeSpan.Zero;

    public VncEncoding Encoding { get; init; } = VncEncoding.Zrle;

    /// <summary>Ask the server to keep other viewers connected (ClientInit shared flag).</summary>
    public bool Shared { get; init; } = true;

    /// <summary>Largest ServerCutText or desktop name accepted; anything bigger is treated as a broken server.</summary>
    public int MaxTextLength { get; init; } = 1 << 20;
}
