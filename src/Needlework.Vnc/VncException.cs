namespace Needlework.Vnc;

/// <summary>
/// The VNC connection failed: refused, timed out, closed by the server, or the server broke the RFB protocol.
/// The message says what the client expected and what happened instead.
/// </summary>
public sealed class VncException : Exception
{
    public VncException()
    {
    }

    public VncException(string message)
        : base(message)
    {
    }

    public VncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
