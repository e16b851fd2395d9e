using Microsoft.Extensions.Logging;

namespace Needlework.Worker;

/// <summary>Source-generated log messages of the worker.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Connected to {Host} as worker {WorkerId}")]
    public static partial void Connected(ILogger logger, Uri host, long workerId);

    [LoggerMessage(2, LogLevel.Warning, "Connection to {Host} failed: {Message}")]
    public static partial void ConnectionFailed(ILogger logger, Uri host, string message);

    [LoggerMessage(3, LogLevel.Information, "Reconnecting in {Seconds:0.0} s")]
    public static partial void Reconnecting(ILogger logger, double seconds);

    [LoggerMessage(4, LogLevel.Warning, "Could not send to the web UI: {Message}")]
    public static partial void SendFailed(ILogger logger, string message);

    [LoggerMessage(5, LogLevel.Information, "The web UI at {Host} closed the connection")]
    public static partial void Disconnected(ILogger logger, Uri host);

    [LoggerMessage(6, LogLevel.Warning, "Ignoring a malformed message from the web UI: {Message}")]
    public static partial void BadMessage(ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Warning, "Dropping unreadable queued upload {Path}: {Message}")]
    public static partial void UploadUnreadable(ILogger logger, string path, string message);

    [LoggerMessage(8, LogLevel.Information, "Upload of {Kind} for job {JobId} deferred: {Message}")]
    public static partial void UploadDeferred(ILogger logger, string kind, long jobId, string message);

    [LoggerMessage(9, LogLevel.Warning, "The web UI refused {Kind} for job {JobId}: {Message}")]
    public static partial void UploadRefused(ILogger logger, string kind, long jobId, string message);

    [LoggerMessage(10, LogLevel.Warning, "Queued file {Path} is gone; skipped")]
    public static partial void UploadFileGone(ILogger logger, string path);

    [LoggerMessage(11, LogLevel.Information, "Job {JobId}: stopping ({Cause})")]
    public static partial void JobStopping(ILogger logger, long jobId, string cause);

    [LoggerMessage(12, LogLevel.Information, "Job {JobId}: runner started, PID {Pid}")]
    public static partial void RunnerStarted(ILogger logger, long jobId, int pid);

    [LoggerMessage(13, LogLevel.Warning, "Job {JobId}: runner group {Pid} killed")]
    public static partial void RunnerKilled(ILogger logger, long jobId, int pid);

    [LoggerMessage(14, LogLevel.Information, "Job {JobId} finished: {Result} {Reason}")]
    public static partial void JobFinished(ILogger logger, long jobId, string result, string? reason);

    [LoggerMessage(15, LogLevel.Debug, "Job {JobId}: live image not posted: {Message}")]
    public static partial void LiveImageFailed(ILogger logger, long jobId, string message);

    [LoggerMessage(16, LogLevel.Information, "Job {JobId} accepted")]
    public static partial void JobAccepted(ILogger logger, long jobId);

    [LoggerMessage(17, LogLevel.Warning, "Job {JobId} rejected: {Why}")]
    public static partial void JobRejected(ILogger logger, long jobId, string why);

    [LoggerMessage(18, LogLevel.Warning, "Worker health: {Status} {Reason}")]
    public static partial void HealthChanged(ILogger logger, string status, string? reason);

    [LoggerMessage(19, LogLevel.Error, "Job {JobId} failed in the worker")]
    public static partial void JobCrashed(ILogger logger, long jobId, Exception exception);

    [LoggerMessage(20, LogLevel.Information, "Waiting for {Count} uploads left from before")]
    public static partial void FlushingSpool(ILogger logger, int count);
}
