namespace Needlework.Runner.Slowness;

/// <summary>The host's CPU counters from /proc/stat, in clock ticks summed over all CPUs.</summary>
/// <param name="Total">All time, busy and idle.</param>
/// <param name="Idle">Idle and waiting for I/O.</param>
/// <param name="Steal">Time the hypervisor gave this machine's virtual CPUs to someone else.</param>
internal readonly record struct HostCpuTicks(long Total, long Idle, long Steal);
