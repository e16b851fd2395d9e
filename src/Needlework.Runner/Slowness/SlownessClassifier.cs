using System.Globalization;
using System.Text;
using Needlework.Core.Jobs;

namespace Needlework.Runner.Slowness;

/// <summary>
/// Tells a slow worker from a slow SUT, from measurements only (a pure function, tested on recorded series).
/// A worker is slow when its CPUs are oversubscribed: QEMU or the runner wanted a CPU and waited for one,
/// the hypervisor stole time, or the run queue stayed longer than the CPUs. A SUT is slow when QEMU was
/// stopped, or when the host had CPU to give and the VM still produced no frames: QEMU idle or busy but not
/// answering. A stopped QEMU decides first: it cannot be the host's fault, however loaded the host is.
/// </summary>
public static class SlownessClassifier
{
    /// <summary>QEMU waiting this share of wall time for a CPU means the host cannot give the VM what it asks.</summary>
    public const double SutWaitLimit = 30;

    /// <summary>The runner's threads together waiting this much (percent of one CPU) means the runner is starved.</summary>
    public const double RunnerWaitLimit = 50;

    /// <summary>Hypervisor steal of this share of the host's CPUs means the worker's VM is oversubscribed.</summary>
    public const double StealLimit = 10;

    /// <summary>Runnable tasks per CPU at and above which the host is overloaded (with a CPU pressure to match).</summary>
    public const double RunnablePerCpuLimit = 1.5;

    /// <summary>PSI share of time in which some task waited for a CPU, required with <see cref="RunnablePerCpuLimit"/>.</summary>
    public const double CpuPressureLimit = 60;

    /// <summary>A sampler timer firing this late on average means the runner itself hardly gets a CPU.</summary>
    public const double TimerLateLimitMs = 500;

    /// <summary>QEMU using less CPU than this is idle: it does not even try to run the guest.</summary>
    public const double SutIdleCpu = 5;

    public static SlownessDiagnosis Classify(SlownessEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var host = HostLoad(evidence);
        if (evidence.SutStopped >= 0.5)
        {
            return new SlownessDiagnosis(BackendReason.SlowSut, $"SUT stopped (QEMU not scheduled), {host}");
        }

        var overload = new List<string>();
        if (evidence.SutWait >= SutWaitLimit)
        {
            overload.Add($"QEMU waited for a CPU {F(evidence.SutWait.Value)}% of the time");
        }

        if (evidence.RunnerWait >= RunnerWaitLimit)
        {
            overload.Add($"the runner's threads waited {F(evidence.RunnerWait.Value / 100)} s per second for a CPU");
        }

        if (evidence.Steal >= StealLimit)
        {
            overload.Add($"CPU steal {F(evidence.Steal.Value)}%");
        }

        if (evidence.RunnablePerCpu >= RunnablePerCpuLimit && evidence.CpuPressure >= CpuPressureLimit)
        {
            overload.Add($"{F(evidence.RunnablePerCpu.Value)} runnable tasks per CPU, CPU pressure {F(evidence.CpuPressure.Value)}%");
        }

        if (evidence.TimerLateMs >= TimerLateLimitMs)
        {
            overload.Add($"the runner's timer fired {F(evidence.TimerLateMs)} ms late");
        }

        if (overload.Count > 0)
        {
            return new SlownessDiagnosis(BackendReason.SlowWorker, $"worker overloaded, {host}, {string.Join(", ", overload)}");
        }

        if (evidence.SutCpu is { } cpu && cpu < SutIdleCpu)
        {
            return new SlownessDiagnosis(BackendReason.SlowSut, $"SUT idle (QEMU used {F(cpu)}% CPU), {host}");
        }

        return evidence.SutCpu is { } busy
            ? new SlownessDiagnosis(BackendReason.SlowSut, $"SUT not answering (QEMU used {F(busy)}% CPU), {host}")
            : new SlownessDiagnosis(BackendReason.SlowSut, $"SUT not answering, {host}");
    }

    private static string HostLoad(SlownessEvidence evidence)
    {
        var text = new StringBuilder();
        text.Append(evidence.Load is { } load ? $"host load {load.ToString("0.0", CultureInfo.InvariantCulture)}" : "host load unknown");
        text.Append(CultureInfo.InvariantCulture, $" on {evidence.CpuCount} CPU{(evidence.CpuCount == 1 ? string.Empty : "s")}");
        return text.ToString();
    }

    private static string F(double value) => value.ToString(value >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture);
}
