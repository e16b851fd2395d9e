using System.Text.Json;
using Needlework.Runner.Results;

namespace Needlework.Runner.Slowness;

/// <summary>Stalls of a job: gaps between frames longer than <paramref name="GapS"/>.</summary>
/// <param name="Count">Stalls so far, an ongoing one included.</param>
/// <param name="StalledS">Seconds spent in stalls.</param>
/// <param name="LongestS">The longest stall.</param>
/// <param name="GapS">The gap that makes a stall (4 capture intervals, at least 1 s).</param>
/// <param name="Longest">The longest stalls, at most 20, in time order.</param>
public sealed record StallSummary(long Count, double StalledS, double LongestS, double GapS, IReadOnlyList<StallRecord> Longest)
{
    public void WriteTo(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", Count);
        writer.WriteNumber("stalled_s", StalledS);
        writer.WriteNumber("longest_s", LongestS);
        writer.WriteNumber("gap_s", GapS);
        writer.WriteArray("longest", Longest, static (w, stall) =>
        {
            w.WriteStartObject();
            w.WriteNumber("start_s", stall.StartS);
            w.WriteNumber("length_s", stall.LengthS);
            w.WriteEndObject();
        });
        writer.WriteEndObject();
    }
}
