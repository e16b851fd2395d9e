namespace Needlework.Runner.Capture;

/// <summary>
/// The latest captured screen, shared by the capture loop (the only writer) and its readers: the test
/// thread, the command server's on-demand last.png. Readers wait for a newer frame without polling.
/// </summary>
public sealed class FrameStore
{
    private readonly Lock _lock = new();
    private CapturedFrame? _latest;
    private TaskCompletionSource<CapturedFrame> _next = NewWaiter();

    public CapturedFrame? Latest => Volatile.Read(ref _latest);

    public void Publish(CapturedFrame frame)
    {
        TaskCompletionSource<CapturedFrame> waiter;
        lock (_lock)
        {
            Volatile.Write(ref _latest, frame);
            waiter = _next;
            _next = NewWaiter();
        }

        waiter.TrySetResult(frame);
    }

    /// <summary>Completes with the first frame whose number is above <paramref name="afterNumber"/>.</summary>
    public Task<CapturedFrame> NextAsync(long afterNumber, CancellationToken cancellationToken)
    {
        Task<CapturedFrame> next;
        lock (_lock)
        {
            if (_latest is { } latest && latest.Number > afterNumber)
            {
                return Task.FromResult(latest);
            }

            next = _next.Task;
        }

        return next.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource<CapturedFrame> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
