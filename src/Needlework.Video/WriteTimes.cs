namespace Needlework.Video;

/// <summary>Per-frame pipe write times, kept whole so percentiles are exact (a 2 h job at 2 fps is 14,400 floats).</summary>
internal sealed class WriteTimes
{
    private readonly Lock _lock = new();
    private readonly List<float> _milliseconds = [];

    public void Add(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _milliseconds.Add((float)elapsed.TotalMilliseconds);
        }
    }

    public (double P50, double P95, double Max) Summarise()
    {
        float[] sorted;
        lock (_lock)
        {
            sorted = [.. _milliseconds];
        }

        if (sorted.Length == 0)
        {
            return (0, 0, 0);
        }

        Array.Sort(sorted);
        return (Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile.</summary>
    internal static double Percentile(float[] sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
