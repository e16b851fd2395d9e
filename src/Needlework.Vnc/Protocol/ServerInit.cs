namespace Needlework.Vnc.Protocol;

/// <summary>What the handshake learnt: the negotiated protocol minor version (3.x), the screen size and the desktop name.</summary>
internal sealed record ServerInit(int MinorVersion, int Width, int Height, string Name);
