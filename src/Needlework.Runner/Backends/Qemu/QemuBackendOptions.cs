namespace Needlework.Runner.Backends.Qemu;

/// <summary>How the runner drives QEMU: where, how patiently, and where QEMU's output goes.</summary>
public sealed record QemuBackendOptions
{
    /// <summary>The job's pool directory (QMP socket, serial0, screendumps). Unix sockets limit its path to about 90 characters.</summary>
    public required string PoolDirectory { get; init; }

    public string QemuBinary { get; init; } = "qemu-system-x86_64";

    /// <summary>Forces an accelerator; null chooses KVM when /dev/kvm is usable (and QEMU_NO_KVM is not set), else TCG.</summary>
    public QemuAccelerator? Accelerator { get; init; }

    /// <summary>Deadline of every QMP command; a QEMU that does not answer within it is reported, never waited on forever.</summary>
    public TimeSpan QmpCommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long QEMU may take to open its QMP socket.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop, step 1: after QMP <c>quit</c>, how long to wait for QEMU to exit.</summary>
    public TimeSpan QuitGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop, step 2: after SIGTERM to the process group, how long to wait.</summary>
    public TimeSpan TerminateGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Stop, step 3: after SIGKILL, how long to wait for the exit to be reaped.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When the QMP connection breaks, how long to wait for QEMU's exit before calling it a QMP error rather than a death.</summary>
    public TimeSpan DeathConfirmationTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long each key is held; QEMU queues keys, so this paces typing without blocking the caller.</summary>
    public TimeSpan KeyHoldTime { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>First VNC display tried when the job has no VNC variable.</summary>
    public int FirstVncDisplay { get; init; } = 10;

    /// <summary>The job log (autoinst-log.txt): QEMU's command line, output and the backend's decisions. Written from several threads.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;
}
