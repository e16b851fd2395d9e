namespace Needlework.Worker.Configuration;

/// <summary>How long each step of stopping the runner may take before the next, harder one.</summary>
/// <param name="Graceful">After POST stop to the command server (the runner finishes the module, video and results).</param>
/// <param name="Terminate">After SIGTERM to the runner's process group.</param>
/// <param name="Kill">After SIGKILL, waiting for the process to be reaped.</param>
public sealed record StopGrace(TimeSpan Graceful, TimeSpan Terminate, TimeSpan Kill)
{
    public StopGrace()
        : this(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5))
    {
    }
}
