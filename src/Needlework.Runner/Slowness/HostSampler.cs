namespace Needlework.Runner.Slowness;

/// <summary>
/// Turns /proc counters into rates between two samples: host busy and steal shares, CPU pressure, and the
/// CPU use and run-queue wait of the runner and of the SUT's process. Called from one thread at a time.
/// </summary>
internal sealed class HostSampler
{
    private const double TicksPerSecond = 100;
    private readonly ProcFiles _proc = new();
    private readonly Func<int?> _sutProcessId;
    private readonly string _selfStat = $"/proc/{Environment.ProcessId}/stat";
    private HostCpuTicks? _host;
    private long? _pressure;
    private long? _runnerTicks;
    private long? _runnerWait;
    private int? _sutPid;
    private long? _sutTicks;
    private long? _sutWait;

    public HostSampler(Func<int?> sutProcessId) => _sutProcessId = sutProcessId;

    /// <summary>Reads the counters and returns the rates since the previous call, over <paramref name="elapsedSeconds"/>.</summary>
    public HostReading Sample(double elapsedSeconds)
    {
        var seconds = Math.Max(elapsedSeconds, 1e-3);
        double? load = null;
        int? runnable = null;
        if (_proc.TryReadLoad(out var l, out var r))
        {
            load = l;
            runnable = r;
        }

        double? busy = null;
        double? steal = null;
        if (_proc.TryReadHostCpu(out var host))
        {
            if (_host is { } before && host.Total > before.Total)
            {
                var total = (double)(host.Total - before.Total);
                busy = Percent(1 - ((host.Idle - before.Idle) / total));
                steal = Percent((host.Steal - before.Steal) / total);
            }

            _host = host;
        }

        double? pressure = null;
        if (_proc.TryReadCpuPressure(out var stalledMicros))
        {
            pressure = Delta(ref _pressure, stalledMicros) is { } d ? Percent(d / 1e6 / seconds) : null;
        }

        double? runnerCpu = _proc.TryReadProcessCpu(_selfStat, out var runnerTicks, out _)
            ? Delta(ref _runnerTicks, runnerTicks) is { } rt ? Percent(rt / TicksPerSecond / seconds) : null
            : null;
        double? runnerWait = _proc.TryReadRunQueueWait(Environment.ProcessId, out var rw)
            ? Delta(ref _runnerWait, rw) is { } rwd ? Percent(rwd / 1e9 / seconds) : null
            : null;

        double? sutCpu = null;
        double? sutWait = null;
        char? sutState = null;
        var pid = _sutProcessId();
        if (pid != _sutPid)
        {
            // A new (or no) SUT process: its counters start afresh.
            (_sutPid, _sutTicks, _sutWait) = (pid, null, null);
        }

        if (pid is { } p)
        {
            if (_proc.TryReadProcessCpu($"/proc/{p}/stat", out var sutTicks, out var state))
            {
                sutState = state;
                sutCpu = Delta(ref _sutTicks, sutTicks) is { } st ? Percent(st / TicksPerSecond / seconds) : null;
            }

            if (_proc.TryReadRunQueueWait(p, out var sw))
            {
                sutWait = Delta(ref _sutWait, sw) is { } swd ? Percent(swd / 1e9 / seconds) : null;
            }
        }

        return new HostReading(load, runnable, busy, steal, pressure, runnerCpu, runnerWait, sutCpu, sutWait, sutState);
    }

    private static long? Delta(ref long? previous, long current)
    {
        var delta = previous is { } p ? current - p : (long?)null;
        previous = current;
        return delta is >= 0 ? delta : null;
    }

    private static double Percent(double fraction) => Math.Round(Math.Max(0, fraction) * 100, 1);
}
