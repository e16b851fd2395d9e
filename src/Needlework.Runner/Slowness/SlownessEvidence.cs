namespace Needlework.Runner.Slowness;

/// <summary>
/// What the host, the runner and the SUT did over the period that tripped a limit (the stall, or the window):
/// means of the timeline's samples. CPU figures are percent of one CPU; null where the host does not say.
/// </summary>
/// <param name="CpuCount">CPUs the host has.</param>
/// <param name="Load">The latest 1-minute load average.</param>
/// <param name="RunnablePerCpu">Mean runnable tasks per CPU, the sampler itself not counted: the load right now.</param>
/// <param name="HostBusy">Mean share of all CPUs busy, 0-100.</param>
/// <param name="Steal">Mean share of all CPUs stolen by the hypervisor, 0-100.</param>
/// <param name="CpuPressure">Mean PSI share of time in which some task waited for a CPU.</param>
/// <param name="RunnerCpu">The runner's mean CPU use.</param>
/// <param name="RunnerWait">Mean time the runner's threads waited for a CPU, percent of wall time.</param>
/// <param name="SutCpu">QEMU's mean CPU use.</param>
/// <param name="SutWait">Mean time QEMU's threads waited for a CPU.</param>
/// <param name="SutStopped">Share of samples (0-1) in which QEMU's process was stopped (state T or t).</param>
/// <param name="TimerLateMs">Mean lateness of the sampler's timer.</param>
public sealed record SlownessEvidence(
    int CpuCount,
    double? Load = null,
    double? RunnablePerCpu = null,
    double? HostBusy = null,
    double? Steal = null,
    double? CpuPressure = null,
    double? RunnerCpu = null,
    double? RunnerWait = null,
    double? SutCpu = null,
    double? SutWait = null,
    double SutStopped = 0,
    double TimerLateMs = 0)
{
    /// <summary>Means over the samples; an empty list gives evidence with nothing known.</summary>
    public static SlownessEvidence From(IReadOnlyList<SlownessSample> samples, int cpuCount)
    {
        if (samples.Count == 0)
        {
            return new SlownessEvidence(cpuCount);
        }

        var stopped = 0;
        var states = 0;
        foreach (var s in samples)
        {
            if (s.SutState is { } state)
            {
                states++;
                stopped += state is "T" or "t" ? 1 : 0;
            }
        }

        return new SlownessEvidence(
            cpuCount,
            samples[^1].Load ?? Last(samples, s => s.Load),
            Mean(samples, s => s.Runnable is { } r ? Math.Max(0, r - 1) / (double)cpuCount : null),
            Mean(samples, s => s.HostBusy),
            Mean(samples, s => s.Steal),
            Mean(samples, s => s.CpuPressure),
            Mean(samples, s => s.RunnerCpu),
            Mean(samples, s => s.RunnerWait),
            Mean(samples, s => s.SutCpu),
            Mean(samples, s => s.SutWait),
            states == 0 ? 0 : stopped / (double)states,
            Mean(samples, s => s.TimerLateMs) ?? 0);
    }

    private static double? Mean(IReadOnlyList<SlownessSample> samples, Func<SlownessSample, double?> pick)
    {
        var sum = 0.0;
        var n = 0;
        foreach (var s in samples)
        {
            if (pick(s) is { } v)
            {
                sum += v;
                n++;
            }
        }

        return n == 0 ? null : Math.Round(sum / n, 2);
    }

    private static double? Last(IReadOnlyList<SlownessSample> samples, Func<SlownessSample, double?> pick)
    {
        for (var i = samples.Count - 1; i >= 0; i--)
        {
            if (pick(samples[i]) is { } v)
            {
                return v;
            }
        }

        return null;
    }
}
