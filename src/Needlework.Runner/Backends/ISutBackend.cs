using Needlework.Imaging.Frames;

namespace Needlework.Runner.Backends;

/// <summary>
/// The system under test as the runner sees it: a screen to capture, a keyboard and mouse, power
/// buttons and a serial log. The capture loop calls <see cref="CaptureFrameAsync"/> on its own thread
/// while the test thread sends input, so implementations accept concurrent calls.
/// Once the SUT is gone unexpectedly every call throws <see cref="BackendDiedException"/>.
/// </summary>
public interface ISutBackend : IAsyncDisposable
{
    /// <summary>TCP port of the SUT's VNC server on 127.0.0.1 once started, for a VNC console; null when there is none.</summary>
    int? VncPort { get; }

    /// <summary>File the SUT's first serial port is written to (the pool's <c>serial0</c>).</summary>
    string SerialLogPath { get; }

    /// <summary>True between a successful start and the SUT's end (stop, power off or death).</summary>
    bool IsAlive { get; }

    /// <summary>Why the SUT ended unexpectedly; null while it runs or after an orderly end.</summary>
    BackendFailure? Failure { get; }

    /// <summary>Starts the SUT and returns once it accepts commands; throws <see cref="BackendDiedException"/> when it cannot.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>A fresh screen image, at the job's resolution (XRES x YRES).</summary>
    Task<Frame> CaptureFrameAsync(CancellationToken cancellationToken);

    /// <summary>Presses a key or combination named as os-autoinst does (<c>ret</c>, <c>ctrl-alt-delete</c>), released in reverse order.</summary>
    Task SendKeyAsync(string key, CancellationToken cancellationToken);

    /// <summary>Types text with an en-us layout: upper case and shifted symbols are sent with shift, <c>\n</c> as <c>ret</c>.</summary>
    Task TypeStringAsync(string text, CancellationToken cancellationToken);

    /// <summary>Moves the pointer to a position in frame coordinates (the job's XRES x YRES).</summary>
    Task MoveMouseAsync(int x, int y, CancellationToken cancellationToken);

    Task MouseButtonAsync(MouseButton button, bool down, CancellationToken cancellationToken);

    Task PowerAsync(PowerAction action, CancellationToken cancellationToken);

    /// <summary>Ends the SUT, politely first, then by force; always leaves no process behind.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
