using System.Text.Json;
using Needlework.Runner.Results;

namespace Needlework.Runner.Slowness;

/// <summary>The host over the whole job, from the timeline. CPU percentages are of one CPU, host shares of all CPUs.</summary>
public sealed record HostSummary(
    int Cpus,
    double? LoadMean,
    double? LoadMax,
    double? BusyMean,
    double? StealMean,
    double? StealMax,
    double? CpuPressureMean,
    double RunnerCpuS,
    double? RunnerWaitMean,
    double SutCpuS,
    double? SutWaitMean)
{
    public void WriteTo(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("cpus", Cpus);
        writer.Optional("load_mean", LoadMean);
        writer.Optional("load_max", LoadMax);
        writer.Optional("busy_mean", BusyMean);
        writer.Optional("steal_mean", StealMean);
        writer.Optional("steal_max", StealMax);
        writer.Optional("cpu_pressure_mean", CpuPressureMean);
        writer.WriteNumber("runner_cpu_s", RunnerCpuS);
        writer.Optional("runner_wait_mean", RunnerWaitMean);
        writer.WriteNumber("sut_cpu_s", SutCpuS);
        writer.Optional("sut_wait_mean", SutWaitMean);
        writer.WriteEndObject();
    }
}
