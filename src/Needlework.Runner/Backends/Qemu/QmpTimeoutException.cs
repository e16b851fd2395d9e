namespace Needlework.Runner.Backends.Qemu;

/// <summary>QEMU did not answer a QMP command within the configured time: it is stopped, hung or overloaded.</summary>
public sealed class QmpTimeoutException : QmpException
{
    public QmpTimeoutException(string command, TimeSpan timeout)
        : base($"QMP command '{command}' got no answer within {timeout.TotalSeconds:0.###} s: QEMU is not responding")
    {
        Command = command;
        Timeout = timeout;
    }

    public string Command { get; }

    public TimeSpan Timeout { get; }
}
