namespace Needlework.Core.Jobs;

/// <summary>A job was asked to move to a state its current state cannot reach.</summary>
public sealed class InvalidJobTransitionException : InvalidOperationException
{
    public InvalidJobTransitionException(long jobId, JobState from, string action)
        : base($"job {jobId} cannot {action} while {from.ToWire()}")
    {
        JobId = jobId;
        From = from;
        Action = action;
    }

    public long JobId { get; }

    public JobState From { get; }

    public string Action { get; }
}
