namespace Needlework.Runner.Backends.Qemu;

/// <summary>Where QEMU frames come from (NEEDLEWORK_FRAME_SOURCE) and where input goes (NEEDLEWORK_INPUT).</summary>
public enum QemuFrameSource
{
    /// <summary>QMP: <c>screendump</c> to a PPM file for frames; <c>send-key</c> and <c>input-send-event</c> for input.</summary>
    Qmp,

    /// <summary>QEMU's VNC server on 127.0.0.1: the client's framebuffer for frames, RFB key and pointer events for input.</summary>
    Vnc,
}
