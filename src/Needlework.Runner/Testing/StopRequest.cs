namespace Needlework.Runner.Testing;

/// <summary>
/// Why and by whom the job is being stopped: the worker's stop command, or the stall monitor.
/// The first request wins; every test API call then throws <see cref="JobStoppedException"/>.
/// </summary>
public sealed class StopRequest : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private StopReason? _reason;

    public CancellationToken Token => _source.Token;

    public StopReason? Reason => Volatile.Read(ref _reason);

    public bool Request(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is not null)
        {
            return false;
        }

        _source.Cancel();
        return true;
    }

    public void Dispose() => _source.Dispose();
}
