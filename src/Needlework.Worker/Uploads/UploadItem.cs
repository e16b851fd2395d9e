using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Needlework.Worker.Uploads;

/// <summary>
/// One queued upload, kept as a JSON file in the spool directory until the web UI took it. Files are
/// referenced in the pool directory, not copied: the pool is only cleaned for the next job, and no job
/// starts while uploads of the last one are pending.
/// </summary>
public sealed record UploadItem
{
    [JsonPropertyName("seq")]
    public long Sequence { get; init; }

    [JsonPropertyName("job_id")]
    public long JobId { get; init; }

    [JsonPropertyName("kind")]
    [JsonConverter(typeof(JsonStringEnumConverter<UploadKind>))]
    public UploadKind Kind { get; init; }

    /// <summary>The status object or the set_done fields.</summary>
    [JsonPropertyName("body")]
    public JsonObject? Body { get; init; }

    /// <summary>The artefact type for the web UI: screenshot, log, video, stats, result.</summary>
    [JsonPropertyName("type")]
    public string? ArtefactType { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("file")]
    public string? FilePath { get; init; }

    [JsonPropertyName("checksum")]
    public string? Checksum { get; init; }

    public static UploadItem Status(long jobId, JsonObject status) => new() { JobId = jobId, Kind = UploadKind.Status, Body = status };

    public static UploadItem SetDone(long jobId, JsonObject fields) => new() { JobId = jobId, Kind = UploadKind.SetDone, Body = fields };

    public static UploadItem Screenshot(long jobId, string name, string path, string checksum) =>
        new() { JobId = jobId, Kind = UploadKind.Screenshot, ArtefactType = "screenshot", Name = name, FilePath = path, Checksum = checksum };

    public static UploadItem File(long jobId, string type, string name, string path) =>
        new() { JobId = jobId, Kind = UploadKind.Artefact, ArtefactType = type, Name = name, FilePath = path };
}
