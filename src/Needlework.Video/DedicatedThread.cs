namespace Needlework.Video;

/// <summary>
/// Runs blocking work on a thread of its own and returns a task for it, for asynchronous callers of the runner's
/// synchronous parts (the video encoder's wind-down, the QEMU backend's start and stop). A thread-pool thread
/// blocked for seconds would leave the pool short: it adds threads slowly, and not at all while the CPUs are
/// busy, and the runner's timers run on the pool.
/// </summary>
public static class DedicatedThread
{
    public static Task Run(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Run(name, () =>
        {
            work();
            return true;
        });
    }

    public static Task<T> Run<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
