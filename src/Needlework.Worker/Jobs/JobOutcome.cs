using System.Text.Json;
using System.Text.Json.Nodes;
using Needlework.Core.Jobs;
using Needlework.Worker.Health;

namespace Needlework.Worker.Jobs;

/// <summary>What set_done reports: the result, openQA's reason text and the backend JSON.</summary>
public sealed record JobOutcome(JobResult Result, string? Reason, BackendReason? Backend)
{
    /// <summary>
    /// Decides how a job ended, in this order: the worker's own stop (cancel, timeouts, quit), then a runner
    /// that died (base_state.json, or none at all), then the module results as openQA adds them up.
    /// </summary>
    /// <param name="stop">Why the worker stopped the job, if it did.</param>
    /// <param name="cancelResult">The result the web UI asked for with cancel.</param>
    /// <param name="exit">The runner's exit, null when it never started.</param>
    /// <param name="baseState">base_state.json, if the runner wrote one.</param>
    /// <param name="modules">The modules in test order.</param>
    /// <param name="host">The host's state at the moment of a stop, for the statistics.</param>
    public static JobOutcome Decide(StopCause stop, string? cancelResult, RunnerExit? exit, BaseState? baseState, IReadOnlyList<ModuleOutcome> modules, HostSnapshot? host)
    {
        ArgumentNullException.ThrowIfNull(modules);
        switch (stop)
        {
            case StopCause.Cancelled:
                var result = JobWording.TryParseResult(cancelResult, out var r) && r != JobResult.None ? r : JobResult.UserCancelled;
                // No message: the web UI decided the result and keeps the reason it gave with cancel.
                return new JobOutcome(result, null, new BackendReason("worker", "cancelled", null, Statistics(baseState, host, exit)));
            case StopCause.JobTimeout:
                return new JobOutcome(JobResult.TimeoutExceeded, JobReason.JobTimeout, new BackendReason("worker", "timeout", JobReason.JobTimeout, Statistics(baseState, host, exit)));
            case StopCause.SetupTimeout:
                return new JobOutcome(JobResult.TimeoutExceeded, JobReason.SetupTimeout, new BackendReason("worker", "timeout", JobReason.SetupTimeout, Statistics(baseState, host, exit)));
            case StopCause.WorkerQuit:
                return new JobOutcome(JobResult.Incomplete, JobReason.WorkerQuit, new BackendReason("worker", "quit", JobReason.WorkerQuit, Statistics(baseState, host, exit)));
        }

        if (exit is null)
        {
            return new JobOutcome(JobResult.Incomplete, JobReason.DiedPrematurely, new BackendReason("worker", null, JobReason.DiedPrematurely, Statistics(baseState, host, exit)));
        }

        if (baseState is { Message: { } message })
        {
            var reason = baseState.Component switch
            {
                "backend" when baseState.Category is BackendReason.SlowSut or BackendReason.SlowWorker => JobReason.BackendTooSlow(message),
                "backend" => JobReason.BackendDied(message),
                "tests" => JobReason.TestsDied(message),
                _ => JobReason.IsotovideoDied(message),
            };
            return new JobOutcome(JobResult.Incomplete, reason, new BackendReason(baseState.Component ?? "isotovideo", baseState.Category, message, Statistics(baseState, host, exit)));
        }

        if (exit.ExitCode == RunnerExit.NothingScheduled)
        {
            var reason = JobReason.IsotovideoDied("no test modules scheduled");
            return new JobOutcome(JobResult.Incomplete, reason, new BackendReason("isotovideo", null, "no test modules scheduled", Statistics(baseState, host, exit)));
        }

        if (exit.ExitCode != RunnerExit.Done)
        {
            return new JobOutcome(JobResult.Incomplete, JobReason.DiedPrematurely, new BackendReason("isotovideo", null, JobReason.DiedPrematurely, Statistics(baseState, host, exit)));
        }

        return new JobOutcome(FromModules(modules), null, null);
    }

    /// <summary>
    /// openQA's sum: a failed module fails the job unless it has ignore_failure (then it does not count at
    /// all); else a soft failure softfails it; a job without a passing module is incomplete.
    /// </summary>
    public static JobResult FromModules(IReadOnlyList<ModuleOutcome> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var counted = modules.Where(m => !(m.IgnoreFailure && ModuleResults.Normalize(m.Result) == "failed"))
            .Select(m => ModuleResults.Normalize(m.Result)).ToList();
        if (counted.Contains("failed"))
        {
            return JobResult.Failed;
        }

        if (counted.Contains("softfailed"))
        {
            return JobResult.Softfailed;
        }

        return counted.Contains("passed") ? JobResult.Passed : JobResult.Incomplete;
    }

    /// <summary>The runner's statistics from base_state.json, plus the host at the moment the job ended (host_load on top, where the web UI reads it).</summary>
    private static JsonElement? Statistics(BaseState? baseState, HostSnapshot? host, RunnerExit? exit)
    {
        var stats = baseState?.Statistics as JsonObject is { } runner ? (JsonObject)runner.DeepClone() : [];
        if (baseState?.Statistics is { } other and not JsonObject)
        {
            stats["runner"] = other.DeepClone();
        }

        if (host is not null)
        {
            stats["host"] = JsonSerializer.SerializeToNode(host);
            if (host.Load1 is { } load && !stats.ContainsKey("host_load"))
            {
                stats["host_load"] = load;
            }
        }

        if (exit is not null)
        {
            stats["runner_exit_code"] = exit.ExitCode;
            if (exit.Signal is { } signal)
            {
                stats["runner_signal"] = signal;
            }
        }

        if (stats.Count == 0)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(stats.ToJsonString());
        return doc.RootElement.Clone();
    }
}
