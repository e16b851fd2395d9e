namespace Needlework.Core.Jobs;

/// <summary>Where a job is in its life, with openQA's names (see <see cref="JobWording"/>).</summary>
public enum JobState
{
    Scheduled,
    Assigned,
    Setup,
    Running,
    Uploading,
    Done,
    Cancelled,
}
