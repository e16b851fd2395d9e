using System.Diagnostics;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// The QEMU child process: started through <c>setsid</c> so it leads its own process group (a stop
/// reaches anything it spawned), its stdout and stderr copied line by line to the job log.
/// The .NET runtime reaps the child; <see cref="Exit"/> completes once it has been reaped and its output drained.
/// </summary>
internal sealed class QemuProcess : IDisposable
{
    private readonly Process _process;

    private QemuProcess(Process process, bool ownGroup, Task<int> exit)
    {
        _process = process;
        OwnsProcessGroup = ownGroup;
        Exit = exit;
        Id = process.Id;
    }

    public int Id { get; }

    /// <summary>True when QEMU leads its own process group (started through setsid), so the group can be signalled.</summary>
    public bool OwnsProcessGroup { get; }

    /// <summary>QEMU's exit code (128 + signal number when a signal ended it).</summary>
    public Task<int> Exit { get; }

    public bool HasExited => Exit.IsCompleted;

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

    public static QemuProcess Start(string binary, IReadOnlyList<string> arguments, string workingDirectory, TextWriter log)
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

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => CopyLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => CopyLine(log, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new QemuProcess(process, setsid is not null, WaitForExitAsync(process));
    }

    /// <summary>Signals QEMU's whole process group when it has one, else QEMU alone.</summary>
    public bool Signal(int signal) =>
        !HasExited && (OwnsProcessGroup ? PosixSignals.SendToGroup(Id, signal) : PosixSignals.SendToProcess(Id, signal));

    public void Dispose() => _process.Dispose();

    private static async Task<int> WaitForExitAsync(Process process)
    {
        // Waits for the exit and for the end of both output streams, so the log is complete when this completes.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static void CopyLine(TextWriter log, string? line)
    {
        if (line is not null)
        {
            log.WriteLine($"[qemu] {line}");
        }
    }
}
