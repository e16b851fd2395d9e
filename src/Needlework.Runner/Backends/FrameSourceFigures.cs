namespace Needlework.Runner.Backends;

/// <summary>What one frame costs a frame source, measured by <see cref="FrameSourceMeasurement"/>.</summary>
/// <param name="Frames">Frames captured.</param>
/// <param name="MedianLatency">From asking for a frame to holding it, median.</param>
/// <param name="P95Latency">95th percentile of the same.</param>
/// <param name="MaxLatency">Slowest capture.</param>
/// <param name="RunnerCpuPerFrame">CPU time of this process per frame, less its idle rate measured just before.</param>
/// <param name="SourceCpuPerFrame">CPU time of the frame's producer (QEMU) per frame, less its idle rate; null when not measured.</param>
public sealed record FrameSourceFigures(
    int Frames,
    TimeSpan MedianLatency,
    TimeSpan P95Latency,
    TimeSpan MaxLatency,
    TimeSpan RunnerCpuPerFrame,
    TimeSpan? SourceCpuPerFrame)
{
    public override string ToString() =>
        $"{Frames} frames: latency median {MedianLatency.TotalMilliseconds:0.00} ms, p95 {P95Latency.TotalMilliseconds:0.00} ms, "
        + $"max {MaxLatency.TotalMilliseconds:0.00} ms; CPU per frame: runner {RunnerCpuPerFrame.TotalMilliseconds:0.00} ms"
        + (SourceCpuPerFrame is { } s ? $", source {s.TotalMilliseconds:0.00} ms" : "");
}
