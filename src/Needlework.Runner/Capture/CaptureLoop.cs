using Needlework.Imaging.Frames;
using Needlework.Runner.Backends;
using Needlework.Video;

namespace Needlework.Runner.Capture;

/// <summary>
/// Takes one frame every interval on its own thread, on the monotonic clock, apart from the test thread:
/// needle searches never delay it. Each frame goes to the frame store (for matching and the live view)
/// and to the video sink, as a new frame or, when it hardly differs from the last video frame
/// (PSNR above os-autoinst's level of 50 dB), as a repeat that costs next to nothing.
/// </summary>
public sealed class CaptureLoop : IDisposable
{
    private readonly ISutBackend _backend;
    private readonly FrameStore _store;
    private readonly IVideoSink _video;
    private readonly CaptureLoopOptions _options;
    private readonly TimeProvider _time;
    private readonly RunnerLog _log;
    private readonly IReadOnlyList<ICaptureObserver> _observers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _frames;
    private long _failures;

    public CaptureLoop(ISutBackend backend, FrameStore store, IVideoSink video, CaptureLoopOptions options, TimeProvider time, RunnerLog log, IReadOnlyList<ICaptureObserver> observers)
    {
        _backend = backend;
        _store = store;
        _video = video;
        _options = options;
        _time = time;
        _log = log;
        _observers = observers;
        _thread = new Thread(Run) { Name = "capture", IsBackground = true };
    }

    public long Frames => Interlocked.Read(ref _frames);

    public long Failures => Interlocked.Read(ref _failures);

    public void Start() => _thread.Start();

    /// <summary>Stops capturing and waits for the thread, for at most <paramref name="timeout"/>.</summary>
    public bool Stop(TimeSpan timeout)
    {
        _stop.Cancel();
        return !_thread.IsAlive || _thread.Join(timeout);
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private void Run()
    {
        var interval = _options.Interval;
        var next = _time.GetTimestamp();
        Frame? lastVideoFrame = null;
        while (!_stop.IsCancellationRequested)
        {
            var scheduled = next;
            var started = _time.GetTimestamp();
            var frame = Capture(started);
            var finished = _time.GetTimestamp();
            if (frame is null && !_backend.IsAlive && _backend.Failure is not null)
            {
                _log.Write("capture", $"stopped: {_backend.Failure.Reason}");
                Notify(null, scheduled, started, finished, changed: false);
                return;
            }

            CapturedFrame? captured = null;
            var changed = false;
            if (frame is not null)
            {
                // The video frame number of this capture is the count of frames and repeats sent before it.
                var number = Interlocked.Increment(ref _frames) - 1;
                changed = lastVideoFrame is null || FrameSimilarity.Psnr(lastVideoFrame, frame) < FrameSimilarity.NewVideoFrameLevel;
                if (changed)
                {
                    _video.AddFrame(frame);
                    lastVideoFrame = frame;
                }
                else
                {
                    _video.AddRepeat();
                }

                captured = new CapturedFrame(frame, number, finished, _time.GetUtcNow());
                _store.Publish(captured);
            }

            Notify(captured, scheduled, started, finished, changed);

            // Next tick on the fixed grid; ticks missed while a capture was slow are skipped, not made up.
            next = scheduled + (long)(interval.TotalSeconds * _time.TimestampFrequency);
            var now = _time.GetTimestamp();
            if (next <= now)
            {
                next = now;
                continue;
            }

            _stop.Token.WaitHandle.WaitOne(_time.GetElapsedTime(now, next));
        }
    }

    private Frame? Capture(long started)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.CaptureTimeout);
            // A dedicated thread may block on the capture: nothing else runs here.
            var frame = _backend.CaptureFrameAsync(timeout.Token).GetAwaiter().GetResult();
            // The deadline holds whether or not its timer got to cancel the capture in time (it runs on the thread pool).
            var took = _time.GetElapsedTime(started);
            return took <= _options.CaptureTimeout
                ? frame
                : throw new TimeoutException($"the frame came after {took.TotalSeconds:0.###} s, past the capture timeout of {_options.CaptureTimeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (Interlocked.Increment(ref _failures) <= 5 || _failures % 100 == 0)
            {
                _log.Write("capture", $"frame capture failed ({_failures} so far): {e.GetType().Name}: {e.Message}");
            }

            return null;
        }
    }

    private void Notify(CapturedFrame? frame, long scheduled, long started, long finished, bool changed)
    {
        foreach (var observer in _observers)
        {
            observer.OnCapture(frame, scheduled, started, finished, changed);
        }
    }
}
