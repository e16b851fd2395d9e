using Needlework.Core.Jobs;

namespace Needlework.Web;

/// <summary>Source-generated log messages of the web UI.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Job {JobId} assigned to worker {WorkerId}")]
    public static partial void JobAssigned(ILogger logger, long jobId, long workerId);

    [LoggerMessage(2, LogLevel.Warning, "Could not send {MessageType} to worker {WorkerId}")]
    public static partial void SendFailed(ILogger logger, string messageType, long workerId, Exception? exception);

    [LoggerMessage(3, LogLevel.Warning, "Worker {Worker} silent since {LastSeen}; declared gone")]
    public static partial void WorkerGone(ILogger logger, string worker, DateTimeOffset lastSeen);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} finished: {Result} {Reason}")]
    public static partial void JobFinished(ILogger logger, long jobId, JobResult result, string? reason);

    [LoggerMessage(5, LogLevel.Information, "Job {JobId} retriggered as {CloneId}: {Note}")]
    public static partial void JobRetriggered(ILogger logger, long jobId, long cloneId, string? note);

    [LoggerMessage(6, LogLevel.Error, "Scheduler pass failed")]
    public static partial void SchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Ignoring a malformed message from worker {WorkerId}")]
    public static partial void BadWorkerMessage(ILogger logger, long workerId, Exception? exception);

    [LoggerMessage(8, LogLevel.Information, "Database ready ({Provider})")]
    public static partial void DatabaseReady(ILogger logger, string provider);

    [LoggerMessage(9, LogLevel.Error, "Worker watchdog pass failed")]
    public static partial void WatchdogFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Database migrations applied: {Migrations}")]
    public static partial void MigrationsApplied(ILogger logger, string migrations);

    [LoggerMessage(11, LogLevel.Warning, "The database had no migration history (made before migrations) and its tables match {Migration}: recorded that migration as applied")]
    public static partial void UnversionedDatabaseAdopted(ILogger logger, string migration);
}
