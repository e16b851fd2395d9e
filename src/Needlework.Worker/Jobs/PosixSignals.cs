using System.Runtime.InteropServices;

namespace Needlework.Worker.Jobs;

/// <summary>kill(2): .NET can only SIGKILL one process; SIGTERM and whole process groups need libc.</summary>
internal static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>False when the process no longer exists.</summary>
    public static bool SendToProcess(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>Signals every process of the group led by <paramref name="pgid"/>; false when none is left.</summary>
    public static bool SendToGroup(int pgid, int signal) => pgid > 1 && Kill(-pgid, signal) == 0;

    /// <summary>Whether any process of the group is still there (signal 0 checks without sending).</summary>
    public static bool GroupExists(int pgid) => pgid > 1 && Kill(-pgid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
