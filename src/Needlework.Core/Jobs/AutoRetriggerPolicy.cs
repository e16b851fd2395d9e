using System.Text.RegularExpressions;

namespace Needlework.Core.Jobs;

/// <summary>
/// Automatic retriggering of jobs that failed for a known reason. Off by default: it suits unattended
/// installations, not test development. openQA's <c>auto_clone_regex</c> and <c>auto_clone_limit</c>
/// are accepted as the compatible form: the regex acts like a known failure on the reason of incomplete jobs.
/// </summary>
public sealed record AutoRetriggerPolicy
{
    /// <summary>openQA's default auto_clone_regex, for admins who want openQA's behaviour.</summary>
    public const string OpenQaDefaultRegex =
        "^(cache failure: |terminated prematurely: |api failure: Failed to register .* 503|backend died: .*VNC.*(timeout|timed out|refused)|QEMU terminated: Failed to allocate KVM HPT of order 25.* Cannot allocate memory)";

    public const int DefaultLimit = 20;

    public bool Enabled { get; init; }

    /// <summary>openQA's auto_clone_regex; null for none.</summary>
    public string? AutoCloneRegex { get; init; }

    /// <summary>openQA's auto_clone_limit: how many consecutive retried ancestors stop further retries.</summary>
    public int Limit { get; init; } = DefaultLimit;

    public static AutoRetriggerPolicy Off { get; } = new();

    /// <summary>Results that a retrigger may follow; user decisions and passes never are.</summary>
    public static bool IsRetriggerable(JobResult result) =>
        result is JobResult.Incomplete or JobResult.Failed or JobResult.TimeoutExceeded;

    /// <summary>
    /// Counts the unbroken run of retriggerable results, nearest ancestor first (the job whose
    /// clone_id is this job, then its own original, and so on).
    /// </summary>
    public static int CountConsecutiveFailedAncestors(IEnumerable<JobResult> ancestorsNearestFirst)
    {
        ArgumentNullException.ThrowIfNull(ancestorsNearestFirst);
        return ancestorsNearestFirst.TakeWhile(IsRetriggerable).Count();
    }

    /// <summary>Decides for a job that just finished.</summary>
    /// <param name="result">The job's result.</param>
    /// <param name="reason">The job's reason text.</param>
    /// <param name="knownFailure">The known failure the job matched, if any.</param>
    /// <param name="consecutiveFailedAncestors">See <see cref="CountConsecutiveFailedAncestors"/>.</param>
    public RetriggerDecision Decide(JobResult result, string? reason, KnownFailure? knownFailure, int consecutiveFailedAncestors)
    {
        if (!Enabled || !IsRetriggerable(result))
        {
            return RetriggerDecision.No;
        }

        string? why = null;
        if (knownFailure is { Retrigger: true })
        {
            why = $"known failure \"{knownFailure.Name}\"";
        }
        else if (result == JobResult.Incomplete && MatchesRegex(reason))
        {
            why = "auto_clone_regex";
        }

        if (why is null)
        {
            return RetriggerDecision.No;
        }

        if (consecutiveFailedAncestors >= Limit)
        {
            return new RetriggerDecision(false, $"Not retriggered: matches {why} but was retriggered {consecutiveFailedAncestors} times in a row already (limit {Limit})");
        }

        return new RetriggerDecision(true, $"Auto-retriggered: matches {why}, retry {consecutiveFailedAncestors + 1} of {Limit}");
    }

    private bool MatchesRegex(string? reason)
    {
        if (string.IsNullOrEmpty(AutoCloneRegex) || reason is null)
        {
            return false;
        }

        try
        {
            return Regex.IsMatch(reason, AutoCloneRegex, RegexOptions.None, TimeSpan.FromMilliseconds(200));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
