using System.Text.Json;

namespace Needlework.Runner.Slowness;

/// <summary>Count and nearest-rank percentiles of a series of durations, in milliseconds unless the name says otherwise.</summary>
public sealed record TimingSummary(long Count, double P50, double P95, double Max)
{
    public static TimingSummary Empty { get; } = new(0, 0, 0, 0);

    /// <summary>Sorts <paramref name="values"/> in place and summarises them.</summary>
    public static TimingSummary Of(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return Empty;
        }

        values.Sort();
        return new TimingSummary(values.Length, Round(Percentile(values, 0.50)), Round(Percentile(values, 0.95)), Round(values[^1]));
    }

    internal static double Percentile(ReadOnlySpan<float> sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public void WriteTo(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", Count);
        writer.WriteNumber("p50", P50);
        writer.WriteNumber("p95", P95);
        writer.WriteNumber("max", Max);
        writer.WriteEndObject();
    }

    private static double Round(double value) => Math.Round(value, 2);
}
