using System.Diagnostics;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// The QEMU child process: started through <c>setsid</c> so it leads its own process group (a stop
/// reaches anything it spawned), its stdout and stderr copied line by line to the job log.
/// Two threads of its own do the waiting, with blocking reads: one copies stderr; the other copies stdout,
/// then waits for the exit. <see cref="HasExited"/> turns true once QEMU has been reaped and both streams
/// drained, and the exit handler given at start runs on that thread right after.
/// </summary>
internal sealed class QemuProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _exitCode;

    private QemuProcess(Process process, bool ownGroup)
    {
        _process = process;
        OwnsProcessGroup = ownGroup;
        Id = process.Id;
    }

    public int Id { get; }

    /// <summary>True when QEMU leads its own process group (started through setsid), so the group can be signalled.</summary>
    public bool OwnsProcessGroup { get; }

    /// <summary>QEMU's exit code (128 + signal number when a signal ended it), once <see cref="HasExited"/>.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>True once QEMU has exited, has been reaped and its output is in the log.</summary>
    public bool HasExited => _exit.Task.IsCompleted;

    public TimeSpan TotalProcessorTime
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>Starts QEMU; <paramref name="onExit"/> runs once, on a thread of this class, after <see cref="HasExited"/> turned true.</summary>
    public static QemuProcess Start(string binary, IReadOnlyList<string> arguments, string workingDirectory, TextWriter log, Action<QemuProcess> onExit)
    {
        var qemu = ExecutableSearch.Find(binary)
            ?? throw new FileNotFoundException($"QEMU binary '{binary}' was not found on PATH; install the Debian package qemu-system-x86", binary);
        var setsid = ExecutableSearch.Find("setsid");
        var start = new ProcessStartInfo(setsid ?? qemu)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            // Our child is never a group leader, so setsid execs QEMU in place: same PID, new session and group.
            start.ArgumentList.Add(qemu);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.Start();
        process.StandardInput.Close();
        var qemuProcess = new QemuProcess(process, setsid is not null);
        var errors = new Thread(() => CopyLines(process.StandardError, log)) { IsBackground = true, Name = "qemu-stderr" };
        errors.Start();
        new Thread(() => qemuProcess.CopyOutputAndWait(errors, log, onExit)) { IsBackground = true, Name = "qemu-exit" }.Start();
        return qemuProcess;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the exit; false when QEMU still runs (or the wait was cancelled).</summary>
    public bool WaitForExit(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return _exit.Task.Wait(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return HasExited;
        }
    }

    /// <summary>Signals QEMU's whole process group when it has one, else QEMU alone.</summary>
    public bool Signal(int signal) =>
        !HasExited && (OwnsProcessGroup ? PosixSignals.SendToGroup(Id, signal) : PosixSignals.SendToProcess(Id, signal));

    public void Dispose() => _process.Dispose();

    private static void CopyLines(StreamReader reader, TextWriter log)
    {
        try
        {
            while (reader.ReadLine() is { } line)
            {
                log.WriteLine($"[qemu] {line}");
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The stream ends with the process; nothing more to copy.
        }
    }

    private void CopyOutputAndWait(Thread errors, TextWriter log, Action<QemuProcess> onExit)
    {
        CopyLines(_process.StandardOutput, log);
        _process.WaitForExit();
        errors.Join();
        Volatile.Write(ref _exitCode, _process.ExitCode);
        _exit.TrySetResult();
        onExit(this);
    }
}
