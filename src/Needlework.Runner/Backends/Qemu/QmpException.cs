namespace Needlework.Runner.Backends.Qemu;

/// <summary>A QMP command failed: QEMU answered with an error, the connection broke, or the protocol was violated.</summary>
public class QmpException : Exception
{
    public QmpException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>QEMU's error class (GenericError, CommandNotFound, ...) when QEMU answered with an error.</summary>
    public string? ErrorClass { get; init; }
}
