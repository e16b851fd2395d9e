using System.Text.Json;
using Needlework.Runner.Results;

namespace Needlework.Runner.Slowness;

/// <summary>
/// One point of the stats.json timeline, about one per second: what the capture loop achieved in the
/// last second and what the host, the runner and the SUT were doing meanwhile. Percentages of one CPU
/// (a process using two full CPUs shows 200); null where this kernel or SUT does not say.
/// </summary>
/// <param name="T">Seconds since the monitor started.</param>
/// <param name="Frames">Frames captured in this second.</param>
/// <param name="Failures">Captures that failed or timed out in this second.</param>
/// <param name="GapS">Seconds since the last frame, at the sample.</param>
/// <param name="Stalled">Whether the gap is a stall (longer than the stall gap).</param>
/// <param name="LatencyMs">Longest capture request-to-frame time completed in this second.</param>
/// <param name="Load">The 1-minute load average.</param>
/// <param name="Runnable">Tasks runnable at the sample (the instantaneous run queue, all CPUs).</param>
/// <param name="HostBusy">Share of all CPUs busy, percent of the host (0-100).</param>
/// <param name="Steal">Share of all CPUs stolen by the hypervisor, percent of the host.</param>
/// <param name="CpuPressure">PSI: share of the second in which some task waited for a CPU.</param>
/// <param name="RunnerCpu">The runner's own CPU use.</param>
/// <param name="RunnerWait">Time the runner's threads waited for a CPU, percent of the second.</param>
/// <param name="SutCpu">QEMU's CPU use (guest emulation included).</param>
/// <param name="SutWait">Time QEMU's threads waited for a CPU.</param>
/// <param name="SutState">QEMU's process state letter (R, S, T for stopped...).</param>
/// <param name="TimerLateMs">How late this sample's timer fired: a starved runner fires late.</param>
/// <param name="VideoQueue">Frames handed to the video sink and not yet written or dropped.</param>
/// <param name="VideoDropped">Frames the video sink dropped so far.</param>
public sealed record SlownessSample(
    double T,
    int Frames,
    int Failures,
    double GapS,
    bool Stalled,
    double? LatencyMs,
    double? Load,
    int? Runnable,
    double? HostBusy,
    double? Steal,
    double? CpuPressure,
    double? RunnerCpu,
    double? RunnerWait,
    double? SutCpu,
    double? SutWait,
    string? SutState,
    double TimerLateMs,
    long? VideoQueue,
    long? VideoDropped)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("t", T);
        writer.WriteNumber("frames", Frames);
        writer.WriteNumber("failures", Failures);
        writer.WriteNumber("gap_s", GapS);
        writer.WriteBoolean("stalled", Stalled);
        writer.Optional("latency_ms", LatencyMs);
        writer.Optional("load", Load);
        writer.Optional("runnable", Runnable);
        writer.Optional("host_busy", HostBusy);
        writer.Optional("steal", Steal);
        writer.Optional("cpu_pressure", CpuPressure);
        writer.Optional("runner_cpu", RunnerCpu);
        writer.Optional("runner_wait", RunnerWait);
        writer.Optional("sut_cpu", SutCpu);
        writer.Optional("sut_wait", SutWait);
        writer.Optional("sut_state", SutState);
        writer.WriteNumber("timer_late_ms", TimerLateMs);
        writer.Optional("video_queue", VideoQueue);
        writer.Optional("video_dropped", VideoDropped);
        writer.WriteEndObject();
    }
}
