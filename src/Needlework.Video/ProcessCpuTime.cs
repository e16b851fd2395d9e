using System.Globalization;

namespace Needlework.Video;

/// <summary>User + system CPU time of a process from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
internal static class ProcessCpuTime
{
    // USER_HZ is 100 on every Linux architecture .NET runs on; the kernel scales /proc to it.
    private const double TicksPerSecond = 100;

    public static TimeSpan? TryRead(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Fields 14 (utime) and 15 (stime), counted after the command name, which may hold spaces and parentheses.</summary>
    internal static TimeSpan? Parse(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come field 3 (state) onwards: utime is the 12th of those, stime the 13th.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return null;
        }

        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }
}
