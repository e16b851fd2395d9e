using Needlework.Video;

namespace Needlework.Runner.Slowness;

/// <summary>What the slowness monitor watches and where it writes.</summary>
public sealed record SlownessMonitorOptions
{
    public required SlownessPolicy Policy { get; init; }

    /// <summary>stats.json goes here (written periodically and at the end); null keeps the statistics in memory only.</summary>
    public string? StatsPath { get; init; }

    /// <summary>The SUT's process (QEMU), for its CPU, run-queue wait and state; null when the SUT is not a local process.</summary>
    public Func<int?> SutProcessId { get; init; } = () => null;

    /// <summary>Whether the SUT is running: while it is off (powered down at the end of a test) no frames are expected.</summary>
    public Func<bool> SutRunning { get; init; } = () => true;

    /// <summary>The video sink, for its queue, drops and write cost; null without video.</summary>
    public IVideoSink? Video { get; init; }

    /// <summary>How often the host is sampled and the limits checked (about once a second).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often stats.json is rewritten while the job runs.</summary>
    public TimeSpan StatsWriteInterval { get; init; } = TimeSpan.FromSeconds(15);

    public int CpuCount { get; init; } = Environment.ProcessorCount;
}
