namespace Needlework.Worker.Uploads;

/// <summary>What an upload does at the web UI.</summary>
public enum UploadKind
{
    /// <summary>POST status: job state, test order and module results so far.</summary>
    Status,

    /// <summary>A screenshot, linked by SHA-256 checksum and sent only when the web UI lacks it.</summary>
    Screenshot,

    /// <summary>Any other file: logs, video, text results, stats.json.</summary>
    Artefact,

    /// <summary>set_done: always the last item of a job.</summary>
    SetDone,
}
