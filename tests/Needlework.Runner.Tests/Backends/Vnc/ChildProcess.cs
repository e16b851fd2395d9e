using System.Diagnostics;
using Needlework.Runner.Backends.Qemu;
using System.Text;

namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>
/// A tool started by a test (a copy of the VNC tests' fixture; test projects do not share code): output kept (bounded) for failure messages, stopped by its own PID with
/// SIGTERM, then SIGKILL, and always reaped.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(ToolPaths.Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        var child = new ChildProcess(process, $"{tool} {string.Join(' ', info.ArgumentList)}");
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Freezes the process (SIGSTOP): its sockets stay open but it answers nothing.</summary>
    public void Suspend() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    /// <summary>SIGKILL, as a crash would: no goodbye on its sockets beyond what the kernel does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigKill);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigCont);
            Signal(SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Signal(SigKill);
            }
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void Signal(int signal)
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = PosixSignals.SendToProcess(_process.Id, signal);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile: nothing to signal.
        }
    }

}
