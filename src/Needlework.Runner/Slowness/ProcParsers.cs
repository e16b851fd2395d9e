using System.Buffers.Text;

namespace Needlework.Runner.Slowness;

/// <summary>Parsers of /proc text, kept apart from the reading so tests feed them recorded lines.</summary>
internal static class ProcParsers
{
    /// <summary>Fields 14 and 15 (utime, stime) and field 3 (state), counted after the command name, which may hold spaces and parentheses.</summary>
    public static bool TryParseProcessStat(ReadOnlySpan<byte> stat, out long ticks, out char state)
    {
        ticks = 0;
        state = '?';
        var close = stat.LastIndexOf((byte)')');
        if (close < 0)
        {
            return false;
        }

        var rest = stat[(close + 1)..];
        // Field 3 is the first after ") "; utime is field 14, the 12th after it.
        for (var field = 3; field <= 15; field++)
        {
            if (!NextField(ref rest, out var text))
            {
                return false;
            }

            if (field == 3)
            {
                state = (char)text[0];
            }
            else if (field >= 14)
            {
                if (!Utf8Parser.TryParse(text, out long value, out _))
                {
                    return false;
                }

                ticks += value;
            }
        }

        return true;
    }

    /// <summary>"5.20 10.26 9.84 14/177 10721": the 1-minute load and the tasks runnable right now.</summary>
    public static bool TryParseLoadAverage(ReadOnlySpan<byte> text, out double load1, out int runnable)
    {
        load1 = 0;
        runnable = 0;
        if (!NextField(ref text, out var first) || !Utf8Parser.TryParse(first, out load1, out _))
        {
            return false;
        }

        if (!NextField(ref text, out _) || !NextField(ref text, out _) || !NextField(ref text, out var tasks))
        {
            return false;
        }

        var slash = tasks.IndexOf((byte)'/');
        return slash > 0 && Utf8Parser.TryParse(tasks[..slash], out runnable, out _);
    }

    /// <summary>The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal (guest time is inside user).</summary>
    public static bool TryParseHostCpu(ReadOnlySpan<byte> text, out HostCpuTicks ticks)
    {
        ticks = default;
        if (!NextField(ref text, out var label) || !label.SequenceEqual("cpu"u8))
        {
            return false;
        }

        Span<long> values = stackalloc long[8];
        for (var i = 0; i < values.Length; i++)
        {
            if (!NextField(ref text, out var field) || !Utf8Parser.TryParse(field, out values[i], out _))
            {
                // Old kernels stop before steal: treat the missing columns as zero.
                if (i >= 4)
                {
                    break;
                }

                return false;
            }
        }

        long total = 0;
        foreach (var v in values)
        {
            total += v;
        }

        ticks = new HostCpuTicks(total, values[3] + values[4], values[7]);
        return true;
    }

    /// <summary>"some avg10=.. avg60=.. avg300=.. total=N": N, the microseconds some task waited for a CPU.</summary>
    public static bool TryParsePressureTotal(ReadOnlySpan<byte> text, out long microseconds)
    {
        microseconds = 0;
        var line = text.IndexOf((byte)'\n') is var nl && nl >= 0 ? text[..nl] : text;
        var at = line.IndexOf("total="u8);
        return line.StartsWith("some"u8) && at >= 0 && Utf8Parser.TryParse(line[(at + 6)..], out microseconds, out _);
    }

    /// <summary>"cpu-ns wait-ns slices": the second field, time spent waiting on a run queue.</summary>
    public static bool TryParseSchedstatWait(ReadOnlySpan<byte> text, out long nanoseconds)
    {
        nanoseconds = 0;
        return NextField(ref text, out _) && NextField(ref text, out var wait) && Utf8Parser.TryParse(wait, out nanoseconds, out _);
    }

    private static bool NextField(ref ReadOnlySpan<byte> text, out ReadOnlySpan<byte> field)
    {
        var start = 0;
        while (start < text.Length && IsSpace(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && !IsSpace(text[end]))
        {
            end++;
        }

        field = text[start..end];
        text = text[end..];
        return field.Length > 0;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\t';
}
