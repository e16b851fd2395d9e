namespace Needlework.Runner.Tests.Backends.Vnc;

internal sealed record X11VncServerOptions
{
    public string? Password { get; init; }

    /// <summary>Advertised RFB version ("3.3", "3.7"); null for x11vnc's default 3.8.</summary>
    public string? RfbVersion { get; init; }

    /// <summary>A fixed port, to restart a server where a client expects it; null picks a free one.</summary>
    public int? Port { get; init; }
}
