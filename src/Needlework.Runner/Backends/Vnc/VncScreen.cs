using Needlework.Imaging.Frames;
using Needlework.Vnc;

namespace Needlework.Runner.Backends.Vnc;

/// <summary>
/// Frames from a VNC client's framebuffer at the job's resolution. A captured frame is handed to the video
/// sink and the frame store, which keep reading it later, so it is never written again: each new screen is
/// a fresh frame (no recycling of frames others may still hold), and an unchanged screen returns the same
/// immutable frame again, which costs nothing at all.
/// </summary>
internal sealed class VncScreen
{
    private readonly VncFramebuffer _framebuffer;
    private readonly int _xres;
    private readonly int _yres;
    private readonly Lock _lock = new();
    private Frame? _last;
    private long _lastUpdateCount = -1;

    public VncScreen(VncFramebuffer framebuffer, int xres, int yres)
    {
        _framebuffer = framebuffer;
        _xres = xres;
        _yres = yres;
    }

    /// <summary>Width of the remote screen as last captured (before scaling); 0 before the first capture.</summary>
    public int ScreenWidth { get; private set; }

    /// <summary>Height of the remote screen as last captured (before scaling); 0 before the first capture.</summary>
    public int ScreenHeight { get; private set; }

    public Frame Capture()
    {
        lock (_lock)
        {
            // Read the count first: an update landing during the copy makes the next capture copy again, never miss it.
            var count = _framebuffer.UpdateCount;
            if (_last is not null && count == _lastUpdateCount)
            {
                return _last;
            }

            var screen = _framebuffer.Snapshot();
            ScreenWidth = screen.Width;
            ScreenHeight = screen.Height;
            _last = FrameScaler.FitTo(screen, _xres, _yres);
            _lastUpdateCount = count;
            return _last;
        }
    }

    /// <summary>Maps a position in frame coordinates (XRES x YRES) to the remote screen's, undoing scaling; padding needs nothing.</summary>
    public (int X, int Y) ToScreen(int x, int y)
    {
        var width = ScreenWidth > 0 ? ScreenWidth : _framebuffer.Width;
        var height = ScreenHeight > 0 ? ScreenHeight : _framebuffer.Height;
        var sx = width > _xres ? (int)Math.Round(x * (double)width / _xres) : x;
        var sy = height > _yres ? (int)Math.Round(y * (double)height / _yres) : y;
        return (Math.Clamp(sx, 0, Math.Max(0, width - 1)), Math.Clamp(sy, 0, Math.Max(0, height - 1)));
    }
}
