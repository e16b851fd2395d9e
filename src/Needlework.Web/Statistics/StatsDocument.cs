using System.Text.Json;

namespace Needlework.Web.Statistics;

/// <summary>
/// What the web UI reads from a runner's stats.json: a few summary figures and the timeline for the
/// stall plot. Names are read leniently (a few spellings each) so runner and web UI can evolve apart.
/// </summary>
public sealed record StatsDocument(
    double? MaxStallSeconds,
    double? StalledPercent,
    double? CaptureIntervalP95Ms,
    double? HostLoad,
    string? SummaryJson,
    IReadOnlyList<StallSample> Timeline)
{
    /// <exception cref="JsonException">Not JSON, or not an object.</exception>
    public static StatsDocument Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("stats.json must be a JSON object");
        }

        var summary = root.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.Object ? s : root;
        var timeline = new List<StallSample>();
        if (root.TryGetProperty("timeline", out var t) && t.ValueKind == JsonValueKind.Array)
        {
            foreach (var point in t.EnumerateArray())
            {
                if (point.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var at = Number(point, "t", "time_s", "elapsed_s");
                if (at is null)
                {
                    continue;
                }

                timeline.Add(new StallSample(
                    at.Value,
                    Number(point, "stall_s", "longest_gap_s", "max_gap_s") ?? 0,
                    Number(point, "capture_interval_ms", "interval_ms", "frame_interval_ms"),
                    Number(point, "load", "load1", "host_load")));
            }
        }

        return new StatsDocument(
            Number(summary, "max_stall_s", "max_stall_seconds", "longest_stall_s", "stall_max_s"),
            Number(summary, "stalled_percent", "stalled_pct", "max_stalled_percent"),
            Number(summary, "capture_interval_p95_ms", "interval_p95_ms"),
            Number(summary, "load", "host_load", "load1", "load_avg"),
            summary.GetRawText(),
            timeline);
    }

    private static double? Number(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value))
            {
                if (value.ValueKind == JsonValueKind.Number)
                {
                    return value.GetDouble();
                }

                if (value.ValueKind == JsonValueKind.Object)
                {
                    // {"max": ..} or {"p95": ..} shapes
                    foreach (var inner in new[] { "max", "p95", "value" })
                    {
                        if (value.TryGetProperty(inner, out var v) && v.ValueKind == JsonValueKind.Number)
                        {
                            return v.GetDouble();
                        }
                    }
                }
            }
        }

        return null;
    }
}
