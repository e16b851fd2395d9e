using System.Text;
using Needlework.Runner.Backends.Qemu;
using Needlework.Worker.Jobs;

namespace Needlework.Cli.Demo;

/// <summary>
/// Slows a job's SUT the bluntest way: SIGSTOP to its QEMU, SIGCONT after a while. QEMU is found among the
/// processes working in the worker's pool directory (only our runner starts processes there), by its
/// executable name and its command line pointing into the pool (the QMP socket, the serial file).
/// </summary>
internal sealed class SutFreezer(string poolDirectory, TimeProvider time)
{
    private readonly string pool = Path.TrimEndingDirectorySeparator(Path.GetFullPath(poolDirectory));

    /// <summary>The QEMU of the job running in the pool, if it is up.</summary>
    public int? FindQemu()
    {
        foreach (var pid in PoolProcesses.Find(pool))
        {
            string[] arguments;
            try
            {
                arguments = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (arguments.Length > 0 && Path.GetFileName(arguments[0]).StartsWith("qemu-system", StringComparison.Ordinal)
                && arguments.Any(a => a.Contains(pool, StringComparison.Ordinal)))
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>Freezes <paramref name="pid"/> for <paramref name="duration"/> (less if it dies meanwhile); SIGCONT always follows, cancelled or not.</summary>
    /// <returns>How long it was frozen; null when it was gone before SIGSTOP.</returns>
    public async Task<TimeSpan?> FreezeAsync(int pid, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (!PosixSignals.SendToProcess(pid, PosixSignals.SigStop))
        {
            return null;
        }

        var start = time.GetTimestamp();
        try
        {
            while (time.GetElapsedTime(start) < duration && Directory.Exists($"/proc/{pid}"))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            }
        }
        finally
        {
            // A QEMU left stopped would hold the job (and SIGTERM) forever; thaw it whatever happened.
            PosixSignals.SendToProcess(pid, PosixSignals.SigCont);
        }

        return time.GetElapsedTime(start);
    }
}
