namespace Needlework.Runner.Backends.Qemu;

/// <summary>Where one QEMU run puts its sockets and files, and how it runs; the inputs of <see cref="QemuCommandLine"/> besides the job variables.</summary>
/// <param name="PoolDirectory">The job's pool directory: QMP socket, serial log and screendumps go there.</param>
/// <param name="VncDisplay">First VNC display to try on 127.0.0.1.</param>
/// <param name="VncDisplayLast">Last display QEMU may fall back to when the first is taken (QEMU's <c>to=</c>).</param>
public sealed record QemuLaunch(string PoolDirectory, QemuAccelerator Accelerator, int VncDisplay, int VncDisplayLast)
{
    public string QmpSocketPath => Path.Combine(PoolDirectory, "qmp_socket");

    public string SerialLogPath => Path.Combine(PoolDirectory, "serial0");

    public string ScreendumpPath => Path.Combine(PoolDirectory, "qemu_screendump.ppm");
}
