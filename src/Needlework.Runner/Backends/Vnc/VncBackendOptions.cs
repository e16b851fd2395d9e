namespace Needlework.Runner.Backends.Vnc;

/// <summary>How the runner talks to an existing VNC server: where its files go and how patiently it waits.</summary>
public sealed record VncBackendOptions
{
    /// <summary>The job's pool directory; the (empty) serial0 goes there.</summary>
    public required string PoolDirectory { get; init; }

    /// <summary>TCP connect plus RFB handshake plus the first full screen.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest silence inside a message, or for a write, before the connection counts as lost.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Quiet time after which the client probes the server with a one-pixel update request.</summary>
    public TimeSpan IdleProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After the connection is lost, how long to keep reconnecting before the backend is declared dead.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two typed keys; hardware behind a KVM switch may drop keys typed back to back.</summary>
    public TimeSpan KeyInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The job log (autoinst-log.txt). Written from several threads.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;
}
