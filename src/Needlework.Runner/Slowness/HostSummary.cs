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
    double? SutWaitMean);
