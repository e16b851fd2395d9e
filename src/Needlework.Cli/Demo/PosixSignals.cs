using System.Runtime.InteropServices;

namespace Needlework.Cli.Demo;

/// <summary>kill(2): .NET cannot send SIGSTOP or SIGCONT.</summary>
internal static partial class PosixSignals
{
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>False when the process no longer exists.</summary>
    public static bool SendToProcess(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
