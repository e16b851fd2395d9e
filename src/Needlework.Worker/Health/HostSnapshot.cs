using System.Text.Json.Serialization;

namespace Needlework.Worker.Health;

/// <summary>The host's state at one moment, as it goes into the backend JSON's statistics and the health check.</summary>
public sealed record HostSnapshot(
    [property: JsonPropertyName("load1")] double? Load1,
    [property: JsonPropertyName("load5")] double? Load5,
    [property: JsonPropertyName("load15")] double? Load15,
    [property: JsonPropertyName("cpu_steal_percent")] double? CpuStealPercent,
    [property: JsonPropertyName("cpus")] int Cpus,
    [property: JsonPropertyName("mem_total_kib")] long? MemoryTotalKiB,
    [property: JsonPropertyName("mem_available_kib")] long? MemoryAvailableKiB,
    [property: JsonPropertyName("time")] string Time);
