using System.Diagnostics;

namespace Needlework.Worker.Jobs;

/// <summary>
/// The runner as a child process in its own process group: started through <c>setsid</c>, which execs it
/// in place (our child is never a group leader), so its PID is the group id and one signal reaches the
/// runner with everything it started in its group. Its output goes to a file in the pool directory.
/// </summary>
public sealed class RunnerProcess : IDisposable
{
    /// <summary>
    /// The .NET runtime settings a runner starts with, unless the worker's own environment sets them. Call counting
    /// off: tiered compilation then never compiles a method a second time. Precompiled (ReadyToRun) code stays as
    /// it is, and what the JIT has to compile (the test distribution, generics the framework did not precompile,
    /// P/Invoke stubs) is compiled quickly once; a loop that runs long is still optimised on the stack (OSR). With
    /// .NET's default, every method a job calls 30 times is compiled again in the background, and a runner calls
    /// a few hundred framework methods once or twice a second (a frame, a status file, the /proc samples): 0.1 s
    /// of a 60 s job's 0.8 s of runner CPU. Tiering off altogether saves that too, but compiles everything
    /// optimised at once: in the GRUB job 0.01 s more, with a 60 s still screen 0.04 s more, and 0.05 s more when
    /// its test distribution was just compiled (docs/benchmarks.md). The runtime reads this only from the environment, at start.
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> RuntimeEnvironment =
    [
        new("DOTNET_TC_CallCounting", "0"),
    ];

    private readonly Process process;
    private readonly Task<RunnerExit> exited;

    private RunnerProcess(Process process)
    {
        this.process = process;
        Pid = process.Id;
        exited = WaitAsync();
    }

    public int Pid { get; }

    public Task<RunnerExit> Exited => exited;

    public bool HasExited => exited.IsCompleted;

    /// <exception cref="System.ComponentModel.Win32Exception">The command cannot be started.</exception>
    public static RunnerProcess Start(IReadOnlyList<string> command, string poolDirectory, string token, Action<string> output)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("the runner command is empty", nameof(command));
        }

        var setsid = FindOnPath("setsid") ?? throw new FileNotFoundException("setsid (util-linux) is needed to give the runner its own process group");
        var start = new ProcessStartInfo(setsid)
        {
            WorkingDirectory = poolDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in command)
        {
            start.ArgumentList.Add(part);
        }

        foreach (var (name, value) in RuntimeEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(poolDirectory);
        start.ArgumentList.Add("--token");
        start.ArgumentList.Add(token);
        start.ArgumentList.Add("-q");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(output, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunnerProcess(process);
    }

    /// <summary>SIGTERM to the whole group: the runner stops gracefully on it.</summary>
    public bool Terminate() => PosixSignals.SendToGroup(Pid, PosixSignals.SigTerm);

    /// <summary>SIGKILL to the whole group.</summary>
    public bool Kill() => PosixSignals.SendToGroup(Pid, PosixSignals.SigKill);

    /// <summary>Whether anything of the runner's group is still alive (the runner may be gone and a child left).</summary>
    public bool GroupAlive => PosixSignals.GroupExists(Pid);

    public void Dispose() => process.Dispose();

    private async Task<RunnerExit> WaitAsync()
    {
        await process.WaitForExitAsync();
        return new RunnerExit(process.ExitCode);
    }

    private static void Write(Action<string> output, string? line)
    {
        if (line is not null)
        {
            output(line);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
