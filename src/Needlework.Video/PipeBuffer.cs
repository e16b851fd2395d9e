using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Needlework.Video;

/// <summary>
/// Linux pipe capacity (fcntl F_SETPIPE_SZ). A pipe holds 64 KiB by default, so a 2.4 MB frame goes to the
/// encoder in dozens of pieces, each a wake-up of the writer; a pipe that holds a whole frame takes it in one.
/// </summary>
internal static partial class PipeBuffer
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int GetPipeSize = 1032; // F_GETPIPE_SZ

    /// <summary>
    /// Asks for room for <paramref name="bytes"/>; where that is more than an unprivileged process may have
    /// (/proc/sys/fs/pipe-max-size, 1 MiB by default), for as much as allowed. Returns the capacity the pipe
    /// has afterwards, or null when it is not a pipe whose size can be read (another OS, another stream).
    /// </summary>
    public static int? TryEnlarge(Stream stream, int bytes)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return null;
        }

        var fd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        if (Fcntl(fd, SetPipeSize, bytes) < 0 && ReadMaxSize() is { } allowed && allowed < bytes)
        {
            _ = Fcntl(fd, SetPipeSize, allowed); // what it achieved is read back below
        }

        var size = Fcntl(fd, GetPipeSize, 0);
        return size > 0 ? size : null;
    }

    private static int? ReadMaxSize()
    {
        try
        {
            return int.TryParse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), out var max) ? max : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);
}
