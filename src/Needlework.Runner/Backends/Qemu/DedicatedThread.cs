namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// Runs blocking work on a thread of its own and returns a task for it, for asynchronous callers of the
/// synchronous QEMU backend: a thread-pool thread blocked for a QEMU start or stop would leave the pool short
/// (it adds threads slowly, and not at all while the CPUs are busy), and the runner's timers run on the pool.
/// </summary>
internal static class DedicatedThread
{
    public static Task Run(string name, Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
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
