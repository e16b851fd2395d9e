using System.Globalization;
using System.Text.Json;
using Needlework.Core.Jobs;
using Needlework.Web.Data;

namespace Needlework.Web.Api;

/// <summary>A job in openQA's API shape, plus our <c>backend</c> and <c>known_failure</c>.</summary>
public static class JobJson
{
    public static Dictionary<string, object?> Of(Job job, string? knownFailure = null, IEnumerable<JobModule>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = new Dictionary<string, object?>
        {
            ["id"] = job.Id,
            ["name"] = job.Name,
            ["test"] = job.Test,
            ["state"] = job.State.ToWire(),
            ["result"] = job.Result.ToWire(),
            ["reason"] = job.Reason,
            ["priority"] = job.Priority,
            ["clone_id"] = job.CloneId,
            ["group_id"] = null,
            ["blocked_by_id"] = null,
            ["settings"] = job.Settings,
            ["t_created"] = Time(job.TCreated),
            ["t_started"] = Time(job.TStarted),
            ["t_finished"] = Time(job.TFinished),
            ["assigned_worker_id"] = job.AssignedWorkerId,
            ["backend"] = Backend(job.Backend),
            ["known_failure"] = knownFailure,
        };
        if (modules is not null)
        {
            json["modules"] = modules.OrderBy(m => m.Ordinal).Select(m => new { name = m.Name, category = m.Category, result = m.Result }).ToList();
        }

        return json;
    }

    /// <summary>openQA's timestamps: YYYY-MM-DDTHH:MM:SS in UTC.</summary>
    public static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonElement? Backend(string? backend)
    {
        if (string.IsNullOrEmpty(backend))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(backend);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
