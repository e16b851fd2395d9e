using System.Text.Json;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>Reading a job as the web UI's API returns it.</summary>
public static class JobAssertions
{
    public static string State(JsonElement job) => job.GetProperty("state").GetString()!;

    public static string Result(JsonElement job) => job.GetProperty("result").GetString()!;

    public static string? Reason(JsonElement job) => job.GetProperty("reason").ValueKind == JsonValueKind.String ? job.GetProperty("reason").GetString() : null;

    public static bool IsDone(JsonElement job) => State(job) == "done";

    public static Dictionary<string, string?> Modules(JsonElement job) =>
        job.TryGetProperty("modules", out var modules) && modules.ValueKind == JsonValueKind.Array
            ? modules.EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("result").ValueKind == JsonValueKind.String ? m.GetProperty("result").GetString() : null)
            : [];

    /// <summary>Running, with at least one module finished: QEMU is up and the runner is deep in the job.</summary>
    public static bool IsRunningWithResults(JsonElement job) =>
        State(job) == "running" && Modules(job).Values.Any(r => r == "passed");

    public static JsonElement Backend(JsonElement job) => job.GetProperty("backend");
}
