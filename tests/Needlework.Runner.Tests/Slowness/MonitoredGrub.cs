using Needlework.Runner.Capture;
using Needlework.Runner.Slowness;
using Needlework.Runner.Testing;
using Needlework.Runner.Tests.Backends.Qemu;
using Needlework.Video;

namespace Needlework.Runner.Tests.Slowness;

/// <summary>
/// The runner's pieces wired as Isotovideo will wire them: a real QEMU on the GRUB ISO (TCG), a capture loop
/// with the slowness monitor as its observer, and the job's stop request. Disposing stops everything it started.
/// </summary>
internal sealed class MonitoredGrub : IAsyncDisposable
{
    private MonitoredGrub(GrubQemu qemu, RunnerLog log, SlownessMonitor monitor, CaptureLoop capture, StopRequest stop)
    {
        Qemu = qemu;
        Log = log;
        Monitor = monitor;
        Capture = capture;
        Stop = stop;
    }

    public GrubQemu Qemu { get; }

    public RunnerLog Log { get; }

    public SlownessMonitor Monitor { get; }

    public CaptureLoop Capture { get; }

    public StopRequest Stop { get; }

    public string StatsPath => Path.Combine(Qemu.Pool, "stats.json");

    public string RunnerLogPath => Path.Combine(Qemu.Pool, "runner-log.txt");

    public string RunnerLogText
    {
        get
        {
            using var stream = new FileStream(RunnerLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
    }

    public static async Task<MonitoredGrub> StartAsync(IReadOnlyDictionary<string, string> variables, TimeSpan captureTimeout)
    {
        var qemu = await GrubQemu.StartAsync(o => o with { QmpCommandTimeout = TimeSpan.FromSeconds(10), QuitGracePeriod = TimeSpan.FromSeconds(1) });
        var log = new RunnerLog(Path.Combine(qemu.Pool, "runner-log.txt"), TimeProvider.System);
        var stop = new StopRequest();
        var interval = TimeSpan.FromSeconds(0.5);
        var backend = qemu.Backend;
        var monitor = new SlownessMonitor(
            new SlownessMonitorOptions
            {
                Policy = SlownessPolicy.FromVariables(variables, interval),
                StatsPath = Path.Combine(qemu.Pool, "stats.json"),
                SutProcessId = () => backend.ProcessId,
                SutRunning = () => backend.IsAlive,
                StatsWriteInterval = TimeSpan.FromSeconds(2),
            },
            stop,
            log,
            TimeProvider.System);
        var capture = new CaptureLoop(backend, new FrameStore(), new NoVideoSink(), new CaptureLoopOptions { Interval = interval, CaptureTimeout = captureTimeout }, TimeProvider.System, log, [monitor]);
        monitor.Start();
        capture.Start();
        return new MonitoredGrub(qemu, log, monitor, capture, stop);
    }

    /// <summary>Waits for the monitor to request a stop; false when <paramref name="budget"/> passes first.</summary>
    public async Task<bool> WaitForStopAsync(TimeSpan budget)
    {
        try
        {
            await Task.Delay(budget, Stop.Token);
            return false;
        }
        catch (OperationCanceledException) when (Stop.Token.IsCancellationRequested)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Capture.Stop(TimeSpan.FromSeconds(12));
        Monitor.Dispose();
        Capture.Dispose();
        await Qemu.DisposeAsync();
        Log.Dispose();
        Stop.Dispose();
    }
}
