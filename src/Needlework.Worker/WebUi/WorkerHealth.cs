namespace Needlework.Worker.WebUi;

/// <summary>What the worker says about itself in each worker_status message.</summary>
/// <param name="Status">free, working or broken (openQA's words).</param>
/// <param name="Reason">Why it is broken; shown by the web UI as the worker's error.</param>
public sealed record WorkerHealth(string Status, string? Reason = null)
{
    public static WorkerHealth Free { get; } = new("free");

    public static WorkerHealth Working { get; } = new("working");

    public bool IsBroken => Status == "broken";
}
