namespace Needlework.Core.Jobs;

/// <summary>openQA's lower-case wire names for states and results, both ways.</summary>
public static class JobWording
{
    private static readonly string[] StateNames = ["scheduled", "assigned", "setup", "running", "uploading", "done", "cancelled"];

    private static readonly string[] ResultNames =
    [
        "none", "passed", "softfailed", "failed", "incomplete", "skipped", "obsoleted",
        "parallel_failed", "parallel_restarted", "user_cancelled", "user_restarted", "timeout_exceeded",
    ];

    public static string ToWire(this JobState state) => StateNames[(int)state];

    public static string ToWire(this JobResult result) => ResultNames[(int)result];

    public static bool TryParseState(string? text, out JobState state)
    {
        var index = Array.IndexOf(StateNames, text?.Trim().ToLowerInvariant());
        state = index < 0 ? default : (JobState)index;
        return index >= 0;
    }

    public static bool TryParseResult(string? text, out JobResult result)
    {
        var index = Array.IndexOf(ResultNames, text?.Trim().ToLowerInvariant());
        result = index < 0 ? default : (JobResult)index;
        return index >= 0;
    }

    /// <summary>States in which a worker holds the job.</summary>
    public static bool IsExecuting(this JobState state) =>
        state is JobState.Assigned or JobState.Setup or JobState.Running or JobState.Uploading;

    public static bool IsFinal(this JobState state) => state is JobState.Done or JobState.Cancelled;

    /// <summary>Results that openQA counts as "ok" when deciding whether a job passed.</summary>
    public static bool IsOk(this JobResult result) => result is JobResult.Passed or JobResult.Softfailed;
}
