using Needlework.Imaging.Frames;
using Needlework.Vnc.Decoding;

namespace Needlework.Vnc;

/// <summary>
/// The published copy of the remote screen, RGB24. The receive thread decodes into a private canvas and
/// copies each finished update here under a lock, so readers never see half an update and a snapshot is
/// one memcpy. Survives reconnects: counters and content carry over to the next connection.
/// </summary>
public sealed class VncFramebuffer
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private byte[] _pixels = [];
    private int _width;
    private int _height;
    private long _updateCount;
    private long _lastUpdateTimestamp;
    private TaskCompletionSource<long> _nextUpdate = NewWaiter();

    internal VncFramebuffer(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Width in pixels; 0 until the first connection.</summary>
    public int Width
    {
        get
        {
            lock (_lock)
            {
                return _width;
            }
        }
    }

    /// <summary>Height in pixels; 0 until the first connection.</summary>
    public int Height
    {
        get
        {
            lock (_lock)
            {
                return _height;
            }
        }
    }

    /// <summary>Number of framebuffer updates applied so far (each FramebufferUpdate message counts once).</summary>
    public long UpdateCount => Interlocked.Read(ref _updateCount);

    /// <summary>When the last update was applied, as a <see cref="TimeProvider.GetTimestamp"/> value (monotonic); 0 before the first.</summary>
    public long LastUpdateTimestamp => Interlocked.Read(ref _lastUpdateTimestamp);

    /// <summary>
    /// Copies the current screen into <paramref name="recycle"/> when it has the right size, else into a new
    /// frame. One memcpy under the lock; the frame belongs to the caller afterwards.
    /// </summary>
    public Frame Snapshot(Frame? recycle = null)
    {
        while (true)
        {
            int width, height;
            lock (_lock)
            {
                if (_width == 0)
                {
                    throw new InvalidOperationException("the framebuffer is empty: connect first");
                }

                if (recycle is not null && recycle.Width == _width && recycle.Height == _height)
                {
                    _pixels.AsSpan().CopyTo(recycle.Pixels);
                    return recycle;
                }

                width = _width;
                height = _height;
            }

            // Allocate outside the lock, then copy if the size did not change meanwhile (a DesktopSize).
            recycle = new Frame(width, height);
        }
    }

    /// <summary>Completes when <see cref="UpdateCount"/> exceeds <paramref name="afterCount"/>; returns the new count.</summary>
    public async Task<long> WaitForUpdateAsync(long afterCount, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<long> next;
            lock (_lock)
            {
                if (_updateCount > afterCount)
                {
                    return _updateCount;
                }

                next = _nextUpdate.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes at the next update after this call; for latency measurement, prefer capturing
    /// <see cref="UpdateCount"/> before the action and calling <see cref="WaitForUpdateAsync"/>.</summary>
    public Task<long> WaitForNextUpdateAsync(CancellationToken cancellationToken) => WaitForUpdateAsync(UpdateCount, cancellationToken);

    /// <summary>Copies the changed rows of the canvas (or all of it after a size change) and wakes waiters.</summary>
    internal void Publish(PixelCanvas canvas, int top, int bottom)
    {
        TaskCompletionSource<long> waiters;
        long count;
        lock (_lock)
        {
            if (_width != canvas.Width || _height != canvas.Height)
            {
                _pixels = new byte[canvas.Pixels.Length];
                _width = canvas.Width;
                _height = canvas.Height;
                top = 0;
                bottom = canvas.Height;
            }

            if (bottom > top)
            {
                var start = top * canvas.Stride;
                var length = (bottom - top) * canvas.Stride;
                canvas.Pixels.AsSpan(start, length).CopyTo(_pixels.AsSpan(start, length));
            }

            count = ++_updateCount;
            _lastUpdateTimestamp = _time.GetTimestamp();
            waiters = _nextUpdate;
            _nextUpdate = NewWaiter();
        }

        waiters.TrySetResult(count);
    }

    /// <summary>Makes current waiters fail with the connection's error instead of waiting for their own deadline.</summary>
    internal void FailWaiters(Exception error)
    {
        TaskCompletionSource<long> waiters;
        lock (_lock)
        {
            waiters = _nextUpdate;
            _nextUpdate = NewWaiter();
        }

        waiters.TrySetException(error);
        _ = waiters.Task.Exception; // observed: nobody may be waiting, and that is no error
    }

    /// <summary>The published pixels, copied out, for a new connection to start from the last known screen.</summary>
    internal void CopyInto(PixelCanvas canvas)
    {
        lock (_lock)
        {
            if (canvas.Width == _width && canvas.Height == _height)
            {
                _pixels.AsSpan().CopyTo(canvas.Pixels);
            }
        }
    }

    private static TaskCompletionSource<long> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
