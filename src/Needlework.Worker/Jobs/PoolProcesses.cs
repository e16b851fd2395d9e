using System.Globalization;

namespace Needlework.Worker.Jobs;

/// <summary>
/// Processes the runner left behind in the pool directory. The runner puts QEMU in a session of its own
/// (so signalling the runner's group misses it), with the pool as its working directory; when the runner
/// is killed hard, nothing else would stop that QEMU. Only processes working in this instance's pool are
/// touched, which only our runner starts.
/// </summary>
public static class PoolProcesses
{
    /// <summary>PIDs whose working directory is the pool directory or below it.</summary>
    public static IReadOnlyList<int> Find(string poolDirectory, string procRoot = "/proc")
    {
        var pool = Path.TrimEndingDirectorySeparator(Path.GetFullPath(poolDirectory));
        var own = Environment.ProcessId;
        var found = new List<int>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(procRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return found;
        }

        foreach (var entry in entries)
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == own)
            {
                continue;
            }

            try
            {
                var cwd = new FileInfo(Path.Combine(entry, "cwd")).LinkTarget;
                if (cwd is not null && (cwd == pool || cwd.StartsWith(pool + "/", StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to look at.
            }
        }

        return found;
    }

    /// <summary>SIGTERM, a bounded wait, then SIGKILL to whatever still works in the pool; returns what was found.</summary>
    public static async Task<IReadOnlyList<int>> KillAsync(string poolDirectory, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = Find(poolDirectory);
        if (found.Count == 0)
        {
            return found;
        }

        foreach (var pid in found)
        {
            PosixSignals.SendToProcess(pid, PosixSignals.SigTerm);
        }

        var deadline = time.GetUtcNow() + grace;
        while (time.GetUtcNow() < deadline && Find(poolDirectory).Count > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        var stubborn = Find(poolDirectory);
        foreach (var pid in stubborn)
        {
            PosixSignals.SendToProcess(pid, PosixSignals.SigKill);
        }

        // SIGKILL is not instant either; the job is only over when nothing of it works any more.
        deadline = time.GetUtcNow() + grace;
        while (stubborn.Count > 0 && time.GetUtcNow() < deadline && Find(poolDirectory).Count > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        return found;
    }
}
