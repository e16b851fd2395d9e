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

    /// <summary>
    /// Fields 14-17: utime and stime, plus cutime and cstime (children it has waited for, e.g. an encoder
    /// started by the shell of an external command), counted after the command name, which may hold
    /// spaces and parentheses.
    /// </summary>
    internal static TimeSpan? Parse(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come field 3 (state) onwards: utime is the 12th of those.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 15)
        {
            return null;
        }

        long ticks = 0;
        for (var i = 11; i < 15; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            ticks += value;
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
