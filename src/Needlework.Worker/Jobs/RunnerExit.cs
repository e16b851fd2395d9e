namespace Needlework.Worker.Jobs;

/// <summary>How the runner process ended: its exit code, or the signal that killed it (exit code 128+N as .NET reports it).</summary>
public sealed record RunnerExit(int ExitCode)
{
    public const int Done = 0;
    public const int Died = 1;
    public const int NothingScheduled = 100;

    /// <summary>The signal number when the process was killed by one.</summary>
    public int? Signal => ExitCode > 128 && ExitCode < 160 ? ExitCode - 128 : null;
}
