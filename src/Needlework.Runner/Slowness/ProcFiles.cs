using Microsoft.Win32.SafeHandles;

namespace Needlework.Runner.Slowness;

/// <summary>
/// Reads the few /proc files the slowness monitor samples every second into one reused buffer and parses
/// them as bytes, so sampling costs no garbage beyond a directory listing of QEMU's threads.
/// Not thread-safe: one instance per sampler.
/// </summary>
internal sealed class ProcFiles
{
    // /proc/<pid>/stat is under 400 bytes, /proc/stat's first line well under 200; the rest of /proc/stat is not needed.
    private readonly byte[] _buffer = new byte[1024];

    /// <summary>utime + stime of one process in clock ticks (USER_HZ, 100 per second), and its state letter.</summary>
    public bool TryReadProcessCpu(string statPath, out long ticks, out char state)
    {
        ticks = 0;
        state = '?';
        return Read(statPath) is var n && n > 0 && ProcParsers.TryParseProcessStat(_buffer.AsSpan(0, n), out ticks, out state);
    }

    public bool TryReadLoad(out double load1, out int runnable)
    {
        load1 = 0;
        runnable = 0;
        return Read("/proc/loadavg") is var n && n > 0 && ProcParsers.TryParseLoadAverage(_buffer.AsSpan(0, n), out load1, out runnable);
    }

    public bool TryReadHostCpu(out HostCpuTicks ticks)
    {
        ticks = default;
        return Read("/proc/stat") is var n && n > 0 && ProcParsers.TryParseHostCpu(_buffer.AsSpan(0, n), out ticks);
    }

    /// <summary>PSI: total microseconds in which some task waited for a CPU (absent on kernels without PSI).</summary>
    public bool TryReadCpuPressure(out long microseconds)
    {
        microseconds = 0;
        return Read("/proc/pressure/cpu") is var n && n > 0 && ProcParsers.TryParsePressureTotal(_buffer.AsSpan(0, n), out microseconds);
    }

    /// <summary>Nanoseconds the threads of a process have waited on a run queue, summed over its threads.</summary>
    public bool TryReadRunQueueWait(int pid, out long nanoseconds)
    {
        nanoseconds = 0;
        var any = false;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var n = Read(Path.Join(task, "schedstat"));
                if (n > 0 && ProcParsers.TryParseSchedstatWait(_buffer.AsSpan(0, n), out var wait))
                {
                    nanoseconds += wait;
                    any = true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return any;
    }

    private int Read(string path)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return RandomAccess.Read(handle, _buffer, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone (threads come and go) or the file does not exist on this kernel.
            return 0;
        }
    }
}
