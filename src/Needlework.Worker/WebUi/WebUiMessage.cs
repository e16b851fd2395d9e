using System.Text.Json;

namespace Needlework.Worker.WebUi;

/// <summary>A message the web UI sent over the WebSocket: grab_job (with the job), cancel (with the result), livelog_start/stop.</summary>
public sealed record WebUiMessage(string Type, long? JobId, JsonElement? Job, string? Result)
{
    /// <exception cref="JsonException">Not a JSON object with a type.</exception>
    public static WebUiMessage Parse(ReadOnlySpan<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("a message needs a type");
        }

        JsonElement? job = root.TryGetProperty("job", out var j) && j.ValueKind == JsonValueKind.Object ? j.Clone() : null;
        long? jobId = root.TryGetProperty("jobid", out var id) && id.TryGetInt64(out var parsed) ? parsed
            : job is { } o && o.TryGetProperty("id", out var jid) && jid.TryGetInt64(out var fromJob) ? fromJob
            : null;
        var result = root.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        return new WebUiMessage(type.GetString()!, jobId, job, result);
    }
}
