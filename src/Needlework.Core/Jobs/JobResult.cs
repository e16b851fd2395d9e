namespace Needlework.Core.Jobs;

/// <summary>How a job ended, with openQA's names (see <see cref="JobWording"/>).</summary>
public enum JobResult
{
    None,
    Passed,
    Softfailed,
    Failed,
    Incomplete,
    Skipped,
    Obsoleted,
    ParallelFailed,
    ParallelRestarted,
    UserCancelled,
    UserRestarted,
    TimeoutExceeded,
}
