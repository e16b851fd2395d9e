using System.Diagnostics;
using Needlework.Imaging.Frames;

namespace Needlework.Runner.Backends;

/// <summary>
/// Measures a frame source (QMP screendump, a VNC framebuffer) the same way for all: back-to-back captures,
/// latency per capture, and CPU per frame for this process and for the producer, each less the idle rate
/// measured over <c>baseline</c> just before (a TCG guest burns CPU whether or not anyone looks at it).
/// For benchmarks and reports, not for the capture loop.
/// </summary>
public static class FrameSourceMeasurement
{
    public static async Task<FrameSourceFigures> MeasureAsync(
        Func<CancellationToken, Task<Frame>> capture,
        int frames,
        Func<TimeSpan>? sourceProcessorTime,
        TimeSpan baseline,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        using var self = Process.GetCurrentProcess();

        // A warm-up capture keeps JIT and first-file costs out of the figures.
        await capture(cancellationToken).ConfigureAwait(false);

        var (ownIdle, sourceIdle, idleSpan) = await SampleAsync(self, sourceProcessorTime, timeProvider,
            () => Task.Delay(baseline, timeProvider, cancellationToken)).ConfigureAwait(false);

        var latencies = new TimeSpan[frames];
        var (ownBusy, sourceBusy, busySpan) = await SampleAsync(self, sourceProcessorTime, timeProvider, async () =>
        {
            for (var i = 0; i < frames; i++)
            {
                var start = timeProvider.GetTimestamp();
                await capture(cancellationToken).ConfigureAwait(false);
                latencies[i] = timeProvider.GetElapsedTime(start);
            }
        }).ConfigureAwait(false);

        Array.Sort(latencies);
        return new FrameSourceFigures(
            frames,
            latencies[frames / 2],
            latencies[Math.Min(frames - 1, (int)Math.Ceiling(frames * 0.95) - 1)],
            latencies[^1],
            PerFrame(ownBusy, ownIdle, busySpan, idleSpan, frames),
            sourceProcessorTime is null ? null : PerFrame(sourceBusy, sourceIdle, busySpan, idleSpan, frames));
    }

    private static TimeSpan PerFrame(TimeSpan busyCpu, TimeSpan idleCpu, TimeSpan busySpan, TimeSpan idleSpan, int frames)
    {
        var idleRate = idleSpan > TimeSpan.Zero ? idleCpu / idleSpan : 0;
        var extra = busyCpu - (busySpan * idleRate);
        return extra > TimeSpan.Zero ? extra / frames : TimeSpan.Zero;
    }

    private static async Task<(TimeSpan Own, TimeSpan Source, TimeSpan Wall)> SampleAsync(
        Process self, Func<TimeSpan>? sourceProcessorTime, TimeProvider time, Func<Task> work)
    {
        self.Refresh();
        var own = self.TotalProcessorTime;
        var source = sourceProcessorTime?.Invoke() ?? TimeSpan.Zero;
        var start = time.GetTimestamp();
        await work().ConfigureAwait(false);
        var wall = time.GetElapsedTime(start);
        self.Refresh();
        return (self.TotalProcessorTime - own, (sourceProcessorTime?.Invoke() ?? TimeSpan.Zero) - source, wall);
    }
}
