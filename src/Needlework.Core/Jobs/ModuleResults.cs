namespace Needlework.Core.Jobs;

/// <summary>Module results as the runner writes them and the job result they add up to, as openQA computes it.</summary>
public static class ModuleResults
{
    /// <summary>Maps the runner's module result words (ok, fail, softfail, skip, canceled) to openQA's module results.</summary>
    public static string Normalize(string? runnerResult) => runnerResult?.Trim().ToLowerInvariant() switch
    {
        "ok" or "passed" => "passed",
        "fail" or "failed" => "failed",
        "softfail" or "softfailed" => "softfailed",
        "skip" or "skipped" => "skipped",
        "canceled" or "cancelled" => "cancelled",
        "running" => "running",
        _ => "none",
    };

    /// <summary>Any failed module fails the job; otherwise any softfailed softfails it; no modules at all gives none.</summary>
    public static JobResult Overall(IEnumerable<string> moduleResults)
    {
        ArgumentNullException.ThrowIfNull(moduleResults);
        var results = moduleResults.Select(Normalize).ToList();
        if (results.Count == 0)
        {
            return JobResult.None;
        }

        if (results.Contains("failed"))
        {
            return JobResult.Failed;
        }

        if (results.Contains("softfailed"))
        {
            return JobResult.Softfailed;
        }

        return results.Contains("passed") ? JobResult.Passed : JobResult.None;
    }
}
