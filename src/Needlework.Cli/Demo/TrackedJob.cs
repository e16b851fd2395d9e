using System.Text.Json;

namespace Needlework.Cli.Demo;

/// <summary>A job the demo scheduled (or that auto-retrigger cloned for it), as last read from the API.</summary>
internal sealed class TrackedJob(long id, DemoJobKind kind)
{
    // Modules that ran to a result; cancelled and skipped ones (after a stop) did not run and are not progress.
    private static readonly HashSet<string> RanModuleResults = new(StringComparer.Ordinal) { "passed", "failed", "softfailed", "ok", "fail", "softfail" };

    public long Id { get; } = id;

    public DemoJobKind Kind { get; } = kind;

    public string Test { get; private set; } = string.Empty;

    public string State { get; private set; } = "scheduled";

    public string Result { get; private set; } = "none";

    public string? Reason { get; private set; }

    public string? BackendCategory { get; private set; }

    public long? CloneId { get; private set; }

    public string? KnownFailure { get; private set; }

    public IReadOnlyList<(string Name, string Result)> Modules { get; private set; } = [];

    /// <summary>When the demo first saw it taken by the worker, and when it saw it done (TimeProvider timestamps).</summary>
    public long? StartedAt { get; set; }

    public long? FinishedAt { get; set; }

    public bool IsDone => State is "done" or "cancelled";

    public int ModulesFinished => Modules.Count(m => RanModuleResults.Contains(m.Result));

    public int ModulesPassed => Modules.Count(m => m.Result is "passed" or "ok");

    /// <summary>The module the runner is in: the one reported running, else the first without a result while the job runs.</summary>
    public string? CurrentModule =>
        IsDone ? null
        : Modules.FirstOrDefault(m => m.Result == "running").Name
          ?? (State == "running" ? Modules.FirstOrDefault(m => m.Result == "none").Name : null);

    /// <summary>Whether the job ended the way its part in the demo says it should.</summary>
    public bool MetExpectation => Kind switch
    {
        DemoJobKind.Slowed => Result == "incomplete" && BackendCategory == "slow_sut"
            && Reason is not null && Reason.Contains("too slow", StringComparison.Ordinal) && CloneId is not null,
        _ => Result == "passed",
    };

    public void Update(JsonElement job)
    {
        Test = Text(job, "test") ?? Test;
        State = Text(job, "state") ?? State;
        Result = Text(job, "result") ?? Result;
        Reason = Text(job, "reason");
        KnownFailure = Text(job, "known_failure");
        CloneId = job.TryGetProperty("clone_id", out var clone) && clone.ValueKind == JsonValueKind.Number ? clone.GetInt64() : null;
        BackendCategory = job.TryGetProperty("backend", out var backend) && backend.ValueKind == JsonValueKind.Object ? Text(backend, "category") : null;
        if (job.TryGetProperty("modules", out var modules) && modules.ValueKind == JsonValueKind.Array)
        {
            Modules = modules.EnumerateArray().Select(m => (Text(m, "name") ?? "?", Text(m, "result") ?? "none")).ToList();
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
