namespace Needlework.Worker.Jobs;

/// <summary>Why the worker (not the runner) ended a job early.</summary>
public enum StopCause
{
    None,

    /// <summary>The web UI sent cancel (user_cancelled, user_restarted, obsoleted, ...).</summary>
    Cancelled,

    /// <summary>MAX_JOB_TIME x TIMEOUT_SCALE passed while the runner worked.</summary>
    JobTimeout,

    /// <summary>MAX_SETUP_TIME x TIMEOUT_SCALE passed before the runner started.</summary>
    SetupTimeout,

    /// <summary>The worker itself is shutting down.</summary>
    WorkerQuit,
}
