namespace Needlework.Runner.Slowness;

/// <summary>What <see cref="HostSampler"/> measured over the last interval; null where the host does not say.</summary>
internal readonly record struct HostReading(
    double? Load,
    int? Runnable,
    double? HostBusy,
    double? Steal,
    double? CpuPressure,
    double? RunnerCpu,
    double? RunnerWait,
    double? SutCpu,
    double? SutWait,
    char? SutState);
