using System.Text.Json;

namespace Needlework.Core.Jobs;

/// <summary>
/// A test job. Its state changes only through the methods here, each of which refuses a move the
/// current state cannot make (eShop style: the entity guards its own transitions).
/// </summary>
public sealed class Job
{
    public const int DefaultPriority = 50;

    private Job()
    {
    }

    public long Id { get; private set; }

    public JobState State { get; private set; }

    public JobResult Result { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>The structured reason as JSON text (see <see cref="BackendReason"/>).</summary>
    public string? Backend { get; private set; }

    public int Priority { get; private set; } = DefaultPriority;

    /// <summary>The job that replaced this one (openQA's clone chain points from the original to the clone).</summary>
    public long? CloneId { get; private set; }

    public Job? Clone { get; private set; }

    public DateTimeOffset TCreated { get; private set; }

    public DateTimeOffset? TStarted { get; private set; }

    public DateTimeOffset? TFinished { get; private set; }

    public long? AssignedWorkerId { get; private set; }

    /// <summary>The worker this job ran on, kept after it finished so a retrigger can avoid it.</summary>
    public long? LastWorkerId { get; private set; }

    public long? KnownFailureId { get; private set; }

    public string Test { get; private set; } = string.Empty;

    public string? Arch { get; private set; }

    public string? Machine { get; private set; }

    public string? Distri { get; private set; }

    public string? Version { get; private set; }

    public string? Flavor { get; private set; }

    public string? Build { get; private set; }

    public Dictionary<string, string> Settings { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Settings the scheduler added at assignment (comma-separated keys); a clone does not inherit them.</summary>
    public string? AssignedSettingKeys { get; private set; }

    public string Name => JobSettings.Name(Settings);

    public static Job Create(IReadOnlyDictionary<string, string> settings, DateTimeOffset now, int priority = DefaultPriority)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue(JobSettings.Test, out var test) || string.IsNullOrWhiteSpace(test))
        {
            throw new ArgumentException("TEST is required", nameof(settings));
        }

        var job = new Job { TCreated = now, Priority = priority, State = JobState.Scheduled, Result = JobResult.None };
        foreach (var (key, value) in settings)
        {
            job.Settings[key] = value;
        }

        job.Test = test;
        job.Arch = Get(settings, JobSettings.Arch);
        job.Machine = Get(settings, JobSettings.Machine);
        job.Distri = Get(settings, JobSettings.Distri);
        job.Version = Get(settings, JobSettings.Version);
        job.Flavor = Get(settings, JobSettings.Flavor);
        job.Build = Get(settings, JobSettings.Build);
        return job;
    }

    public IReadOnlySet<string> WorkerClasses => JobSettings.ParseClasses(Settings.GetValueOrDefault(JobSettings.WorkerClass));

    public void Assign(long workerId, IReadOnlyDictionary<string, string> thresholdSettings)
    {
        ArgumentNullException.ThrowIfNull(thresholdSettings);
        Require(State == JobState.Scheduled, "be assigned");
        State = JobState.Assigned;
        AssignedWorkerId = workerId;
        LastWorkerId = workerId;
        var added = new List<string>();
        foreach (var (key, value) in thresholdSettings)
        {
            // An explicit per-job setting wins over the admin's defaults.
            if (Settings.TryAdd(key, value))
            {
                added.Add(key);
            }
        }

        AssignedSettingKeys = added.Count == 0 ? null : string.Join(',', added);
    }

    /// <summary>The worker declined or vanished before it started: the job goes back to the queue.</summary>
    public void Unassign()
    {
        Require(State == JobState.Assigned, "be unassigned");
        State = JobState.Scheduled;
        AssignedWorkerId = null;
    }

    public void BeginSetup(DateTimeOffset now)
    {
        Require(State is JobState.Assigned, "begin setup");
        State = JobState.Setup;
        TStarted ??= now;
    }

    public void Start(DateTimeOffset now)
    {
        Require(State is JobState.Assigned or JobState.Setup, "start running");
        State = JobState.Running;
        TStarted ??= now;
    }

    public void BeginUpload()
    {
        Require(State is JobState.Running or JobState.Setup or JobState.Assigned, "begin uploading");
        State = JobState.Uploading;
    }

    /// <summary>Moves the state to the one the worker reports, stepping through the legal path.</summary>
    public void AdvanceTo(JobState target, DateTimeOffset now)
    {
        if (target == State)
        {
            return;
        }

        switch (target)
        {
            case JobState.Setup:
                BeginSetup(now);
                break;
            case JobState.Running:
                Start(now);
                break;
            case JobState.Uploading:
                BeginUpload();
                break;
            default:
                throw new InvalidJobTransitionException(Id, State, "move to " + target.ToWire() + " by a status update");
        }
    }

    /// <summary>The worker finished the job. A result the user already decided (cancel, restart) is kept.</summary>
    public void Finish(JobResult result, string? reason, BackendReason? backend, DateTimeOffset now)
    {
        Require(State.IsExecuting(), "finish");
        if (result is JobResult.None)
        {
            throw new ArgumentException("a finished job needs a result", nameof(result));
        }

        State = JobState.Done;
        if (Result is not (JobResult.UserCancelled or JobResult.UserRestarted or JobResult.Obsoleted))
        {
            Result = result;
        }

        Reason = JobReason.Cut(reason) ?? Reason;
        if (backend is not null)
        {
            Backend = backend.ToJson();
        }

        TFinished = now;
        AssignedWorkerId = null;
    }

    /// <summary>
    /// Cancels the job. A queued job ends at once; a job on a worker keeps running until the worker
    /// reports back, but its result is decided now.
    /// </summary>
    /// <returns>True when a worker must be told to stop.</returns>
    public bool Cancel(DateTimeOffset now, JobResult result = JobResult.UserCancelled, string? reason = null)
    {
        Require(!State.IsFinal(), "be cancelled");
        Result = result;
        Reason = JobReason.Cut(reason) ?? Reason;
        if (State == JobState.Scheduled)
        {
            State = JobState.Cancelled;
            TFinished = now;
            return false;
        }

        return true;
    }

    /// <summary>Creates the clone that replaces this job and links the chain. A running original is marked user_restarted.</summary>
    public Job Duplicate(DateTimeOffset now, int? priority = null)
    {
        Require(State != JobState.Scheduled, "be restarted");
        if (CloneId is not null || Clone is not null)
        {
            throw new InvalidJobTransitionException(Id, State, "be restarted again (it already has a clone)");
        }

        var clone = Create(OriginalSettings(), now, priority ?? Priority);
        Clone = clone;
        if (State.IsExecuting())
        {
            Result = JobResult.UserRestarted;
        }

        return clone;
    }

    public void SetPriority(int priority) => Priority = priority;

    public void MarkKnownFailure(long? knownFailureId) => KnownFailureId = knownFailureId;

    public void AppendReasonNote(string note) => Reason = JobReason.AppendNote(Reason, note);

    public BackendReason? BackendReason()
    {
        try
        {
            return Core.Jobs.BackendReason.Parse(Backend);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Threshold variables set at assignment are recomputed for the clone when it is assigned.
    private Dictionary<string, string> OriginalSettings()
    {
        var copy = new Dictionary<string, string>(Settings, StringComparer.Ordinal);
        foreach (var key in (AssignedSettingKeys ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            copy.Remove(key);
        }

        return copy;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed)
        {
            throw new InvalidJobTransitionException(Id, State, action);
        }
    }

    private static string? Get(IReadOnlyDictionary<string, string> settings, string key) =>
        settings.TryGetValue(key, out var value) ? value : null;
}
