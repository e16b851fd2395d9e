using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Needlework.Imaging.Frames;
using Needlework.Runner.Backends;
using Needlework.Runner.Backends.Qemu;

namespace Needlework.FrameSources;

/// <summary>
/// The measurement: one QEMU at the GRUB prompt (a mostly still screen with a blinking cursor, as most of a
/// test's waiting is), then for each source (a) CPU per frame at the capture loop's cadence of 0.5 s, runner and
/// QEMU, less the idle rates measured with no source attached; (b) back-to-back capture latency; (c) freshness:
/// from a key press (same QMP input for both) to the first frame from the source that shows its effect.
/// </summary>
internal static class FrameSourceComparison
{
    private const string GrubIso = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";
    // A cursor blink changes a few dozen pixels; a new "grub>" line several hundred.
    private const int ChangedPixels = 150;
    private static readonly TimeSpan Cadence = TimeSpan.FromSeconds(0.5);

    public static async Task<string> RunAsync(TimeSpan phase, TextWriter progress, CancellationToken cancellationToken)
    {
        var pool = Path.Combine(Path.GetTempPath(), "nw-fs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(pool);
        var variables = new Dictionary<string, string>
        {
            ["ISO"] = GrubIso, ["QEMURAM"] = "256", ["QEMU_NO_KVM"] = "1", ["NEEDLEWORK_FRAME_SOURCE"] = "qmp",
        };
        var backend = new QemuBackend(
            QemuVariables.Parse(variables),
            new QemuBackendOptions { PoolDirectory = pool, Accelerator = QemuAccelerator.Tcg },
            TimeProvider.System);
        try
        {
            progress.WriteLine("booting grub-rescue under TCG ...");
            await backend.StartAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            await backend.SendKeyAsync("c", cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

            progress.WriteLine($"idle baseline, {phase.TotalSeconds} s ...");
            var idle = await SampleAsync(backend, phase, null, cancellationToken);

            progress.WriteLine("QMP screendump ...");
            var qmpCadence = await SampleAsync(backend, phase, backend.CaptureScreendumpAsync, cancellationToken);
            var qmpBackToBack = await FrameSourceMeasurement.MeasureAsync(
                backend.CaptureScreendumpAsync, 100, () => backend.QemuProcessorTime, TimeSpan.FromSeconds(2), TimeProvider.System, cancellationToken);
            var qmpFresh = await FreshnessAsync(backend, backend.CaptureScreendumpAsync, null, cancellationToken);

            progress.WriteLine("VNC framebuffer ...");
            await backend.UseFrameSourceAsync(QemuFrameSource.Vnc, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var vncCadence = await SampleAsync(backend, phase, backend.CaptureVncAsync, cancellationToken);
            var vncBackToBack = await FrameSourceMeasurement.MeasureAsync(
                backend.CaptureVncAsync, 100, () => backend.QemuProcessorTime, TimeSpan.FromSeconds(2), TimeProvider.System, cancellationToken);
            var vnc = backend.Vnc!;
            var vncFresh = await FreshnessAsync(
                backend,
                backend.CaptureVncAsync,
                ct => vnc.Framebuffer.WaitForUpdateAsync(vnc.Framebuffer.UpdateCount, ct),
                cancellationToken);
            var (copyNew, copyRecycled, width, height) = SnapshotCosts(vnc.Framebuffer);

            return Report(idle, qmpCadence, vncCadence, qmpBackToBack, vncBackToBack, qmpFresh, vncFresh, copyNew, copyRecycled, width, height, phase);
        }
        finally
        {
            await backend.DisposeAsync();
            Directory.Delete(pool, recursive: true);
        }
    }

    /// <summary>Captures every 0.5 s (or not at all) for <paramref name="span"/>; returns CPU used by both processes and the frame count.</summary>
    private static async Task<Sample> SampleAsync(QemuBackend backend, TimeSpan span, Func<CancellationToken, Task<Frame>>? capture, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var ownStart = self.TotalProcessorTime;
        var qemuStart = backend.QemuProcessorTime;
        var clock = Stopwatch.StartNew();
        var frames = 0;
        var ticks = 0;
        while (clock.Elapsed < span)
        {
            if (capture is not null)
            {
                await capture(cancellationToken);
                frames++;
            }

            var next = Cadence * ++ticks;
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }

        var wall = clock.Elapsed;
        self.Refresh();
        return new Sample(wall, self.TotalProcessorTime - ownStart, backend.QemuProcessorTime - qemuStart, frames);
    }

    /// <summary>Presses Return at the prompt (a new "grub>" line) and times until the source shows it; median of 10.</summary>
    private static async Task<TimeSpan> FreshnessAsync(
        QemuBackend backend, Func<CancellationToken, Task<Frame>> capture, Func<CancellationToken, Task<long>>? waitForUpdate, CancellationToken cancellationToken)
    {
        var samples = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(700), cancellationToken);
            var before = await backend.CaptureScreendumpAsync(cancellationToken);
            var clock = Stopwatch.StartNew();
            // QMP send-key for both sources: the guest's reaction is the same, only the way the screen comes back differs.
            backend.Qmp!.Execute("send-key", new JsonObject { ["keys"] = new JsonArray { new JsonObject { ["type"] = "qcode", ["data"] = "ret" } } }, cancellationToken);
            while (true)
            {
                var update = waitForUpdate?.Invoke(cancellationToken);
                var frame = await capture(cancellationToken);
                if (DifferentPixels(before, frame) >= ChangedPixels)
                {
                    samples.Add(clock.Elapsed);
                    break;
                }

                if (update is not null)
                {
                    await update.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("the screen did not change within 10 s of pressing Return");
                }
            }
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static int DifferentPixels(Frame a, Frame b)
    {
        var x = a.ReadOnlyPixels;
        var y = b.ReadOnlyPixels;
        var count = 0;
        for (var i = 0; i + 2 < x.Length; i += 3)
        {
            if (x[i] != y[i] || x[i + 1] != y[i + 1] || x[i + 2] != y[i + 2])
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The framebuffer copy alone: into a new frame (what capture does) against into a recycled one.</summary>
    private static (TimeSpan New, TimeSpan Recycled, int Width, int Height) SnapshotCosts(Needlework.Vnc.VncFramebuffer framebuffer)
    {
        const int Rounds = 300;
        Frame? frame = null;
        for (var i = 0; i < 20; i++)
        {
            frame = framebuffer.Snapshot(frame);
            _ = framebuffer.Snapshot();
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            _ = framebuffer.Snapshot();
        }

        var fresh = clock.Elapsed / Rounds;
        clock.Restart();
        for (var i = 0; i < Rounds; i++)
        {
            frame = framebuffer.Snapshot(frame);
        }

        return (fresh, clock.Elapsed / Rounds, frame!.Width, frame.Height);
    }

    private static string Report(
        Sample idle, Sample qmp, Sample vnc, FrameSourceFigures qmpB2B, FrameSourceFigures vncB2B, TimeSpan qmpFresh, TimeSpan vncFresh,
        TimeSpan copyNew, TimeSpan copyRecycled, int width, int height, TimeSpan phase)
    {
        var (qmpRunner, qmpQemu) = PerFrame(qmp, idle);
        var (vncRunner, vncQemu) = PerFrame(vnc, idle);
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Phase length {phase.TotalSeconds:0} s; idle rates: runner {Rate(idle.Runner, idle.Wall):0.0} ms/s, QEMU {Rate(idle.Qemu, idle.Wall):0.0} ms/s (TCG guest at the GRUB prompt).");
        s.AppendLine();
        s.AppendLine("| measure | QMP screendump | VNC framebuffer | VNC / QMP |");
        s.AppendLine("|---|---|---|---|");
        Row(s, "capture latency, median (back to back)", qmpB2B.MedianLatency, vncB2B.MedianLatency);
        Row(s, "capture latency, p95 (back to back)", qmpB2B.P95Latency, vncB2B.P95Latency);
        Row(s, "key press to a frame showing it, median of 10", qmpFresh, vncFresh);
        Row(s, "runner CPU per frame at 0.5 s cadence", qmpRunner, vncRunner);
        Row(s, "QEMU CPU per frame at 0.5 s cadence", qmpQemu, vncQemu);
        Row(s, "runner + QEMU CPU per frame at 0.5 s cadence", qmpRunner + qmpQemu, vncRunner + vncQemu);
        Row(s, "runner CPU per frame (back to back)", qmpB2B.RunnerCpuPerFrame, vncB2B.RunnerCpuPerFrame);
        Row(s, "QEMU CPU per frame (back to back)", qmpB2B.SourceCpuPerFrame ?? TimeSpan.Zero, vncB2B.SourceCpuPerFrame ?? TimeSpan.Zero);
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Framebuffer copy of a {width}x{height} screen: into a new frame {copyNew.TotalMilliseconds:0.000} ms, into a recycled frame {copyRecycled.TotalMilliseconds:0.000} ms.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Frames at cadence: QMP {qmp.Frames}, VNC {vnc.Frames}.");
        return s.ToString();
    }

    private static (TimeSpan Runner, TimeSpan Qemu) PerFrame(Sample busy, Sample idle)
    {
        TimeSpan Extra(TimeSpan used, TimeSpan idleUsed) =>
            TimeSpan.FromTicks(Math.Max(0, (used - (busy.Wall * (idleUsed / idle.Wall))).Ticks)) / Math.Max(1, busy.Frames);
        return (Extra(busy.Runner, idle.Runner), Extra(busy.Qemu, idle.Qemu));
    }

    private static double Rate(TimeSpan cpu, TimeSpan wall) => cpu.TotalMilliseconds / wall.TotalSeconds;

    private static void Row(StringBuilder s, string name, TimeSpan qmp, TimeSpan vnc) =>
        s.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {qmp.TotalMilliseconds:0.00} ms | {vnc.TotalMilliseconds:0.00} ms | {(qmp > TimeSpan.Zero ? (vnc / qmp).ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} |");

    private sealed record Sample(TimeSpan Wall, TimeSpan Runner, TimeSpan Qemu, int Frames);
}
