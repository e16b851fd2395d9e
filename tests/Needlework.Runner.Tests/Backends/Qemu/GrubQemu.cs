using Needlework.Imaging.Frames;
using Needlework.Runner.Backends;
using Needlework.Runner.Backends.Qemu;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>One QEMU booting Debian's grub-rescue ISO, with its pool, log and screen helpers; disposing stops QEMU and removes the pool.</summary>
internal sealed class GrubQemu : IAsyncDisposable
{
    // Thresholds of these tests, in PSNR dB: a text cursor blinking is ~46 dB, one changed line of text ~30 dB.
    public const double StillLevel = 40;

    private readonly StreamWriter _log;

    private GrubQemu(QemuBackend backend, string pool, StreamWriter log)
    {
        Backend = backend;
        Pool = pool;
        _log = log;
    }

    public QemuBackend Backend { get; }

    public string Pool { get; }

    public string LogPath => Path.Combine(Pool, "autoinst-log.txt");

    /// <summary>The job log so far, as the runner would keep it in autoinst-log.txt.</summary>
    public string Log
    {
        get
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public static async Task<GrubQemu> StartAsync(
        Func<QemuBackendOptions, QemuBackendOptions>? configure = null,
        IReadOnlyDictionary<string, string>? extraVariables = null,
        CancellationToken cancellationToken = default)
    {
        var vars = new Dictionary<string, string> { ["ISO"] = TestPaths.GrubRescueIso, ["QEMURAM"] = "256" };
        foreach (var (k, v) in extraVariables ?? new Dictionary<string, string>())
        {
            vars[k] = v;
        }

        var pool = TestPaths.NewPool();
        var log = new StreamWriter(new FileStream(Path.Combine(pool, "autoinst-log.txt"), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            AutoFlush = true,
        };
        // TCG, not KVM: reproducible timing, and this machine's nested KVM boots the ISO slower than TCG does.
        var options = new QemuBackendOptions { PoolDirectory = pool, Log = log, Accelerator = QemuAccelerator.Tcg };
        options = configure?.Invoke(options) ?? options;
        var backend = new QemuBackend(QemuVariables.Parse(vars), options, TimeProvider.System);
        var run = new GrubQemu(backend, pool, log);
        try
        {
            await backend.StartAsync(cancellationToken);
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    /// <summary>Captures until the screen differs from <paramref name="before"/> and then holds still; fails with the log after <paramref name="budget"/>.</summary>
    public async Task<Frame> WaitForNewStillScreenAsync(Frame before, TimeSpan budget) =>
        await TryWaitForNewStillScreenAsync(before, budget)
        ?? throw new Xunit.Sdk.XunitException($"no new still screen within {budget}; log:\n{Log}");

    /// <summary>As <see cref="WaitForNewStillScreenAsync"/>, but null when the budget runs out.</summary>
    public async Task<Frame?> TryWaitForNewStillScreenAsync(Frame before, TimeSpan budget)
    {
        using var cts = new CancellationTokenSource(budget);
        Frame? previous = null;
        var changed = false;
        try
        {
            while (true)
            {
                await Task.Delay(150, cts.Token);
                var frame = await Backend.CaptureFrameAsync(cts.Token);
                changed |= FrameSimilarity.Psnr(before, frame) < StillLevel;
                if (changed && previous is not null && FrameSimilarity.Psnr(previous, frame) >= StillLevel)
                {
                    return frame;
                }

                previous = changed ? frame : null;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        await _log.DisposeAsync();
        Directory.Delete(Pool, recursive: true);
    }
}
