namespace Needlework.Video;

/// <summary>The outcome of a video sink once completed.</summary>
/// <param name="VideoPath">The video file, or null when no video was made (NOVIDEO).</param>
/// <param name="TimelinePath">The <c>video_time.vtt</c> file, or null.</param>
/// <param name="VideoMissing">A video was expected but its file is absent or empty.</param>
/// <param name="ErrorReason">Why the video is incomplete or missing, e.g. "video encoder exited with code 1: ..."; null on success.</param>
/// <param name="ExitCode">The encoder's exit code, when it ran and exited.</param>
/// <param name="Statistics">The final counters.</param>
public sealed record VideoSinkResult(
    string? VideoPath,
    string? TimelinePath,
    bool VideoMissing,
    string? ErrorReason,
    int? ExitCode,
    VideoSinkStatistics Statistics)
{
    public bool Succeeded => ErrorReason is null && !VideoMissing;
}
