using System.Runtime.InteropServices;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// kill(2): .NET can only SIGKILL a single process; a polite SIGTERM, SIGSTOP/SIGCONT (the demo freezes a SUT)
/// and a whole process group need libc.
/// </summary>
public static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Sends <paramref name="signal"/> to one process; false when it no longer exists.</summary>
    public static bool SendToProcess(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="pgid"/>.</summary>
    public static bool SendToGroup(int pgid, int signal) => pgid > 1 && Kill(-pgid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
