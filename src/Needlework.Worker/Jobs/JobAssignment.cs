using System.Text.Json;

namespace Needlework.Worker.Jobs;

/// <summary>The job a grab_job message hands over: its id and flat settings (thresholds already added by the scheduler).</summary>
public sealed record JobAssignment(long Id, IReadOnlyDictionary<string, string> Settings)
{
    /// <exception cref="JsonException">The job object lacks an id or settings.</exception>
    public static JobAssignment FromJson(JsonElement job)
    {
        if (!job.TryGetProperty("id", out var id) || !id.TryGetInt64(out var jobId))
        {
            throw new JsonException("the job has no id");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (job.TryGetProperty("settings", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in s.EnumerateObject())
            {
                settings[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return new JobAssignment(jobId, settings);
    }
}
