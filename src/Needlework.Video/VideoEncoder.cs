using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Needlework.Imaging.Frames;

namespace Needlework.Video;

/// <summary>
/// Records the job's video: an encoder child (ffmpeg, or an external command) reads PPM frames on its
/// stdin and shows each captured frame for 1/24 s of video, a time-lapse as os-autoinst makes. ffmpeg with VP8
/// or VP9 gets each frame with its time (<see cref="TimestampedPpmStream"/>), so an unchanged screen is one
/// frame shown longer and costs the encoder nothing; Theora and an external command get every repeat again.
/// A bounded queue and a writer thread of its own stand between the capture loop and the pipe, so adding a
/// frame never waits for the encoder: when the queue is full the frame is dropped and counted. The writer
/// writes each frame with plain blocking writes into a pipe made large enough to hold it, so a frame costs
/// a couple of system calls rather than a wake-up per 64 KiB. The encoder dying never throws into the
/// caller; it becomes <see cref="FailureReason"/>.
/// </summary>
public sealed class VideoEncoder : IVideoSink
{
    // After an exit, how long the output pumps may take to hand over ffmpeg's last lines.
    private static readonly TimeSpan PumpGrace = TimeSpan.FromSeconds(2);

    // After a kill, how long the process and our tasks may take to wind down.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    // A 1024x768 frame with its header, rounded up: the pipe capacity the writer asks for.
    private const int PipeCapacity = 4 << 20;

    // While waiting for the exit, /proc is read this often: the last reading before exit is the CPU time.
    private static readonly TimeSpan CpuSamplePeriod = TimeSpan.FromMilliseconds(50);

    private readonly VideoEncoderOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FrameQueue _queue;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WriteTimes _writeTimes = new();
    private readonly byte[] _header = new byte[Ppm.MaxHeaderLength];
    private readonly byte[] _envelope = new byte[TimestampedPpmStream.FrameOverhead];
    private readonly Lock _completionLock = new();

    private Process? _process;
    private VideoTimeline? _timeline;
    private readonly TaskCompletionSource _pumpsDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exitHandled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pumpsRunning = 2;
    private Task<VideoSinkResult>? _completion;
    private int _disposed;

    // Caller side: touched only by the single producer.
    private Frame? _droppedFrame;
    private bool _anyFrameQueued;
    private bool _queueFullLogged;

    // Shared between the caller, the writer, the pumps and completion.
    private volatile bool _accepting;
    private volatile bool _completing;
    private volatile FfmpegProgress? _progress;
    private volatile string? _lastErrorLine;
    private string? _failure;
    private long _framesWritten;
    private long _repeatsWritten;
    private long _dropped;
    private long _bytesWritten;
    private long _cpuTicks = -1;
    private int _maxDepth;

    private VideoEncoder(VideoEncoderOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _options = options;
        _logger = logger;
        _time = timeProvider;
        Command = EncoderCommand.For(options);
        _queue = new FrameQueue(options.QueueCapacity);
    }

    /// <summary>The command line the encoder was started with.</summary>
    public EncoderCommand Command { get; }

    /// <summary>The encoder's process id, or null when it could not start.</summary>
    public int? ProcessId { get; private set; }

    public string? FailureReason => Volatile.Read(ref _failure);

    /// <summary>
    /// Starts the encoder. Invalid options throw; an encoder that cannot be started does not: the sink
    /// then drops every frame and reports the reason, so the job goes on without a video.
    /// </summary>
    public static VideoEncoder Start(VideoEncoderOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // The encoder runs in the output's folder: a relative path would be resolved twice.
        options = options with
        {
            OutputPath = Path.GetFullPath(options.OutputPath),
            TimelinePath = options.TimelinePath is null ? null : Path.GetFullPath(options.TimelinePath),
        };
        var encoder = new VideoEncoder(options, logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
        encoder.Launch();
        return encoder;
    }

    public void AddFrame(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Enqueue(new QueuedFrame(frame, _time.GetUtcNow())))
        {
            _droppedFrame = null;
            _anyFrameQueued = true;
        }
        else
        {
            _droppedFrame = frame;
        }
    }

    public void AddRepeat()
    {
        // After a dropped frame, "unchanged" means unchanged from that frame: send it now so the video catches up.
        if (_droppedFrame is { } dropped)
        {
            AddFrame(dropped);
        }
        else if (_anyFrameQueued)
        {
            Enqueue(new QueuedFrame(null, _time.GetUtcNow()));
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public VideoSinkStatistics GetStatistics()
    {
        var (p50, p95, max) = _writeTimes.Summarise();
        var cpuTicks = Interlocked.Read(ref _cpuTicks);
        var progress = _progress;
        return new VideoSinkStatistics(
            Interlocked.Read(ref _framesWritten),
            Interlocked.Read(ref _repeatsWritten),
            Interlocked.Read(ref _dropped),
            Volatile.Read(ref _maxDepth),
            p50,
            p95,
            max,
            Interlocked.Read(ref _bytesWritten),
            cpuTicks < 0 ? null : TimeSpan.FromTicks(cpuTicks),
            progress?.Frame,
            progress?.Speed);
    }

    public Task<VideoSinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        lock (_completionLock)
        {
            return _completion ??= DedicatedThread.Run("video-complete", () => Complete(cancellationToken));
        }
    }

    public ValueTask DisposeAsync() => new(DedicatedThread.Run("video-dispose", () =>
    {
        if (_process is { } process && !_exited.Task.IsCompleted)
        {
            Fail("video encoder was stopped before the video was completed");
            Kill(process);
        }

        _accepting = false;
        _queue.Complete();
        WaitBounded(_exited.Task, KillGrace, CancellationToken.None);
        WaitBounded(_writerDone.Task, KillGrace, CancellationToken.None);
        Dispose();
    }));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _accepting = false;
        _queue.Complete();
        if (_process is { } process)
        {
            if (!_exited.Task.IsCompleted)
            {
                Fail("video encoder was stopped before the video was completed");
                Kill(process);
                // Reap synchronously: Dispose may be the last chance, and a zombie or orphan must not outlive the job.
                process.WaitForExit(KillGrace);
            }

            process.Dispose();
        }

        _timeline?.Dispose();
    }

    private void Launch()
    {
        if (_options.TimelinePath is { } timelinePath)
        {
            try
            {
                _timeline = VideoTimeline.Create(timelinePath, _options.FramesPerSecond, _time.LocalTimeZone);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The video is worth having without its timeline.
                VideoEncoderLog.Failed(_logger, $"cannot write the video timeline: {ex.Message}");
            }
        }

        try
        {
            var startInfo = new ProcessStartInfo(Command.FileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(_options.OutputPath)),
            };
            foreach (var argument in Command.Arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
            process.Exited += OnExited;
            process.Start();
            _process = process;
            ProcessId = process.Id;
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            var reason = $"video encoder could not start: {ex.Message}";
            VideoEncoderLog.StartFailed(_logger, ex.Message);
            Fail(reason);
            _queue.Complete();
            return;
        }

        var input = _process.StandardInput.BaseStream;
        var pipeCapacity = PipeBuffer.TryEnlarge(input, PipeCapacity);
        VideoEncoderLog.Started(_logger, _process.Id, pipeCapacity ?? 0, Command);
        _accepting = true;
        // Threads of their own, with blocking reads and waits: no async state machines, which ReadyToRun cannot
        // precompile and every job would compile again, and nothing that waits on the thread pool.
        var errors = _process.StandardError;
        var output = _process.StandardOutput;
        new Thread(() => Pump(errors, isError: true)) { IsBackground = true, Name = "video-stderr" }.Start();
        new Thread(() => Pump(output, isError: false)) { IsBackground = true, Name = "video-stdout" }.Start();
        new Thread(WatchExit) { IsBackground = true, Name = "video-exit" }.Start();
        new Thread(() => WriteFrames(input)) { IsBackground = true, Name = "video" }.Start();
    }

    private void OnExited(object? sender, EventArgs e)
    {
        var process = (Process)sender!;
        _accepting = false;
        _exited.TrySetResult(process.ExitCode);
    }

    private bool Enqueue(QueuedFrame item)
    {
        if (_accepting && _queue.TryAdd(item, out var depth))
        {
            if (depth > _maxDepth)
            {
                Volatile.Write(ref _maxDepth, depth);
            }

            return true;
        }

        Interlocked.Increment(ref _dropped);
        if (_accepting && !_queueFullLogged)
        {
            _queueFullLogged = true;
            VideoEncoderLog.QueueFull(_logger, _options.QueueCapacity);
        }

        return false;
    }

    /// <summary>The writer thread: blocking writes are right here, on a thread that does nothing else.</summary>
    private void WriteFrames(Stream input)
    {
        try
        {
            Frame? last = null;
            var broken = false;
            long videoFrame = 0;

            // With timestamps a repeat is not sent: the frame before it is shown longer. If the video ends on
            // repeats, the last frame is sent once more at the last repeat's time, so the video lasts as long.
            var timestamped = Command.Timestamped;
            long unsentRepeat = -1;
            while (_queue.Take(out var item))
            {
                var frame = item.Frame ?? last;
                if (broken || frame is null)
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                if (item.Frame is null && timestamped)
                {
                    unsentRepeat = videoFrame;
                }
                else
                {
                    if (!TryWrite(input, frame, videoFrame, timestamped))
                    {
                        broken = true;
                        continue;
                    }

                    unsentRepeat = -1;
                }

                Interlocked.Increment(ref item.Frame is null ? ref _repeatsWritten : ref _framesWritten);
                last = frame;
                AppendTimeline(videoFrame++, item.CapturedAt);
                SampleCpu();
            }

            if (!broken && unsentRepeat >= 0 && last is not null)
            {
                TryWrite(input, last, unsentRepeat, timestamped);
            }
        }
        catch (Exception ex)
        {
            // A thread of its own: an exception left to escape would end the whole runner, not just the video.
            _accepting = false;
            Fail($"video writer failed: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            _writerDone.TrySetResult();
        }
    }

    /// <summary>
    /// Writes one frame as video frame <paramref name="videoFrame"/>, with its time when <paramref name="timestamped"/>
    /// (the stream's header before the first); false, with the reason noted, when the pipe broke.
    /// </summary>
    private bool TryWrite(Stream input, Frame frame, long videoFrame, bool timestamped)
    {
        try
        {
            var started = _time.GetTimestamp();
            var length = Ppm.WriteHeader(frame.Width, frame.Height, _header);
            long envelope = 0;
            if (timestamped)
            {
                if (Interlocked.Read(ref _bytesWritten) == 0)
                {
                    var streamHeader = TimestampedPpmStream.Header(frame.Width, frame.Height, _options.FramesPerSecond);
                    input.Write(streamHeader);
                    envelope += streamHeader.Length;
                }

                // The time the frame's slot starts, in whole milliseconds as video_time.vtt gives it.
                var timestampMs = videoFrame * 1000 / _options.FramesPerSecond;
                envelope += TimestampedPpmStream.WriteFrameHeader(length + frame.PixelMemory.Length, timestampMs, _envelope);
                input.Write(_envelope);
            }

            input.Write(_header, 0, length);
            input.Write(frame.PixelMemory.Span);
            _writeTimes.Add(_time.GetElapsedTime(started));
            Interlocked.Add(ref _bytesWritten, envelope + length + frame.PixelMemory.Length);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _accepting = false;
            Interlocked.Increment(ref _dropped);
            NoteBrokenInput(ex);
            return false;
        }
    }

    private void NoteBrokenInput(Exception ex)
    {
        // Usually the encoder died: its exit code and last words make the better reason, so give them a moment.
        WaitBounded(_exitHandled.Task, PumpGrace + PumpGrace, CancellationToken.None);
        Fail($"video encoder stopped reading frames: {ex.Message}");
    }

    private void AppendTimeline(long videoFrame, DateTimeOffset capturedAt)
    {
        try
        {
            _timeline?.Append(videoFrame, capturedAt);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A lost timeline must not cost the video.
            VideoEncoderLog.Failed(_logger, $"cannot write the video timeline: {ex.Message}");
            _timeline = null;
        }
    }

    private void Pump(StreamReader reader, bool isError)
    {
        try
        {
            PumpLines(reader, isError);
        }
        finally
        {
            if (Interlocked.Decrement(ref _pumpsRunning) == 0)
            {
                _pumpsDone.TrySetResult();
            }
        }
    }

    private void PumpLines(StreamReader reader, bool isError)
    {
        try
        {
            // ReadLine also ends a line at '\r', which is how ffmpeg separates its progress lines.
            while (reader.ReadLine() is { } line)
            {
                line = line.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                TeeToLog(line);
                if (!isError)
                {
                    continue;
                }

                _lastErrorLine = line;
                if (FfmpegProgressParser.TryParse(line, out var progress))
                {
                    _progress = progress;
                }
                else
                {
                    VideoEncoderLog.Output(_logger, line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process: nothing more to read.
        }
    }

    private void TeeToLog(string line)
    {
        try
        {
            _options.EncoderLog?.WriteLine(line);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The job's log is closed or full; the encoder must not stall on it.
        }
    }

    private void WatchExit()
    {
        try
        {
            var code = _exited.Task.GetAwaiter().GetResult();
            WaitBounded(_pumpsDone.Task, PumpGrace, CancellationToken.None);
            if (!_completing || code != 0)
            {
                Fail($"video encoder exited with code {code}: {_lastErrorLine ?? "(no output)"}");
            }
        }
        finally
        {
            _exitHandled.TrySetResult();
        }
    }

    private VideoSinkResult Complete(CancellationToken cancellationToken)
    {
        _completing = true;
        _accepting = false;
        _queue.Complete();
        if (!_anyFrameQueued)
        {
            // Said plainly, before ffmpeg's complaint about an empty input can become the reason.
            Fail("no frames were captured, so there is no video");
        }

        if (_process is { } process)
        {
            try
            {
                if (!WaitBounded(_writerDone.Task, _options.DrainTimeout, cancellationToken))
                {
                    // The writer is stuck in a pipe write: closing stdin cannot take effect until that write ends.
                    Fail($"video encoder took no frames for {Seconds(_options.DrainTimeout)} s at the end of the job; killed");
                    Kill(process);
                }

                CloseInput(process);
                if (!WaitForExit(_options.ExitTimeout, cancellationToken))
                {
                    Fail($"video encoder did not exit within {Seconds(_options.ExitTimeout)} s after its input was closed; killed");
                    Kill(process);
                }
            }
            catch (OperationCanceledException)
            {
                Fail("video encoding was cancelled before the encoder finished");
                Kill(process);
                Reap();
                throw;
            }
        }

        Reap();
        int? exitCode = _exited.Task.IsCompleted ? _exited.Task.GetAwaiter().GetResult() : null;
        var statistics = GetStatistics();
        var output = new FileInfo(_options.OutputPath);
        var missing = !output.Exists || output.Length == 0;
        if (missing)
        {
            Fail(_process is null ? "video encoder could not start" : "video encoder wrote no video");
        }

        VideoEncoderLog.Finished(_logger, exitCode, statistics.VideoFrames, statistics.RepeatsWritten, statistics.FramesDropped,
            statistics.EncoderCpuTime?.TotalSeconds ?? 0);
        return new VideoSinkResult(_options.OutputPath, _options.TimelinePath, missing, FailureReason, exitCode, statistics);
    }

    /// <summary>Waits for the exit, reading the encoder's CPU time meanwhile (after the exit /proc has nothing).</summary>
    private bool WaitForExit(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            SampleCpu();
            var remaining = timeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return _exited.Task.IsCompleted;
            }

            if (WaitBounded(_exited.Task, remaining < CpuSamplePeriod ? remaining : CpuSamplePeriod, cancellationToken))
            {
                return true;
            }
        }
    }

    /// <summary>Bounded wind-down shared by every way out: the child is gone and every queued frame is accounted for.</summary>
    private void Reap()
    {
        if (_process is { } process && !WaitBounded(_exited.Task, KillGrace, CancellationToken.None))
        {
            Kill(process);
            WaitBounded(_exited.Task, KillGrace, CancellationToken.None);
        }

        WaitBounded(_writerDone.Task, KillGrace, CancellationToken.None);
        WaitBounded(_exitHandled.Task, _process is null ? TimeSpan.Zero : KillGrace, CancellationToken.None);
        while (_queue.TryTake(out _))
        {
            Interlocked.Increment(ref _dropped);
        }

        _timeline?.Dispose();
    }

    private void SampleCpu()
    {
        if (ProcessId is { } pid && !_exited.Task.IsCompleted && ProcessCpuTime.TryRead(pid) is { } cpu)
        {
            Interlocked.Exchange(ref _cpuTicks, cpu.Ticks);
        }
    }

    private void CloseInput(Process process)
    {
        try
        {
            process.StandardInput.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Already broken: the encoder has gone, which the exit watch reports.
        }
    }

    private void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                VideoEncoderLog.Killing(_logger, process.Id);
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited between the check and the kill.
        }
    }

    private void Fail(string reason)
    {
        _accepting = false;
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            VideoEncoderLog.Failed(_logger, reason);
        }
    }

    /// <summary>True when <paramref name="task"/> ended (in any state) within <paramref name="timeout"/>; blocks the caller.</summary>
    private static bool WaitBounded(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return task.Wait(timeout, cancellationToken);
        }
        catch (AggregateException)
        {
            // It ended, faulted or cancelled: ended all the same.
            return true;
        }
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
